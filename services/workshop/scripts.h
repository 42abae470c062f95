#pragma once
// The workshop service's Lua scripts, embedded at build time from services/workshop/lua/*.lua (each
// with the common prelude and the workshop prelude in front).
#include <string_view>

namespace relais::workshop::scripts {
extern const std::string_view k_register_case_lua;
extern const std::string_view k_update_case_lua;
extern const std::string_view k_build_agenda_lua;
extern const std::string_view k_reorder_agenda_lua;
extern const std::string_view k_set_members_lua;
extern const std::string_view k_close_session_lua;
extern const std::string_view k_preconise_lua;
extern const std::string_view k_decide_plan_lua;
extern const std::string_view k_declare_priority_lua;
extern const std::string_view k_priority_place_lua;
extern const std::string_view k_record_missed_lua;
extern const std::string_view k_idem_check_lua;
}  // namespace relais::workshop::scripts
