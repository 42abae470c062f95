#pragma once
// The dispatch service's Lua scripts, embedded at build time from services/dispatch/lua/*.lua (each
// with the common prelude and the dispatch prelude in front).
#include <string_view>

namespace relais::dispatch::scripts {
extern const std::string_view k_open_call_lua;
extern const std::string_view k_call_step_lua;
extern const std::string_view k_create_person_lua;
extern const std::string_view k_update_person_lua;
extern const std::string_view k_read_person_lua;
extern const std::string_view k_set_grid_lua;
extern const std::string_view k_create_request_lua;
extern const std::string_view k_propose_lua;
extern const std::string_view k_decide_proposal_lua;
extern const std::string_view k_create_report_lua;
extern const std::string_view k_advance_report_lua;
extern const std::string_view k_pass_night_lua;
extern const std::string_view k_close_night_lua;
extern const std::string_view k_propose_insertion_lua;
}  // namespace relais::dispatch::scripts
