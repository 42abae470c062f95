#pragma once
// The monitoring service's Lua scripts, embedded at build time from services/monitoring/lua/*.lua.
#include <string_view>

namespace relais::monitoring::scripts {
extern const std::string_view k_read_lua;
extern const std::string_view k_apply_lua;
extern const std::string_view k_release_lua;
}  // namespace relais::monitoring::scripts
