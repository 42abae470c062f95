#pragma once
// Configuration by flags, with environment-variable fallbacks: --redis-port=6380 or RELAIS_REDIS_PORT=6380
// (a flag wins over the environment). Every option has a default good for a local run.
#include <boost/program_options.hpp>
#include <optional>
#include <string>

namespace relais {

namespace po = boost::program_options;

// "redis-port" -> "RELAIS_REDIS_PORT".
std::string EnvNameForOption(const std::string& option);

// Parses flags then the environment into `vm`. Returns an exit code when the program must stop
// (0 after --help, 2 after a bad flag, with a message on stderr), nothing when it may go on.
std::optional<int> ParseConfig(int argc, const char* const* argv, const po::options_description& options,
                               const std::string& usage_line, po::variables_map& vm);

}  // namespace relais
