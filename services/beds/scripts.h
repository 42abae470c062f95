#pragma once
// The beds service's Lua scripts, embedded at build time from services/beds/lua/*.lua (each with the
// common prelude and the beds prelude in front).
#include <string_view>

namespace relais::beds::scripts {
extern const std::string_view k_create_shelter_lua;
extern const std::string_view k_update_shelter_lua;
extern const std::string_view k_declare_pool_lua;
extern const std::string_view k_touch_pool_lua;
extern const std::string_view k_take_hold_lua;
extern const std::string_view k_end_hold_lua;
extern const std::string_view k_open_buffer_lua;
extern const std::string_view k_close_buffer_lua;
}  // namespace relais::beds::scripts
