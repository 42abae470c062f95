#include "common/config.h"

#include <algorithm>
#include <cctype>
#include <iostream>

namespace relais {

std::string EnvNameForOption(const std::string& option) {
  std::string env = "RELAIS_";
  for (char c : option) env += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

std::optional<int> ParseConfig(int argc, const char* const* argv, const po::options_description& options,
                               const std::string& usage_line, po::variables_map& vm) {
  po::options_description all("Options");
  all.add_options()("help,h", "show this help");
  all.add(options);
  try {
    po::store(po::parse_command_line(argc, argv, all), vm);
    // Environment fallbacks: only for options that exist, so stray RELAIS_* variables are ignored.
    po::store(po::parse_environment(all,
                                    [&all](const std::string& env) -> std::string {
                                      for (const auto& opt : all.options()) {
                                        if (EnvNameForOption(opt->long_name()) == env) return opt->long_name();
                                      }
                                      return "";
                                    }),
              vm);
    if (vm.count("help")) {
      std::cout << usage_line << "\n\n" << all << "\nEvery option can also be set as RELAIS_<OPTION>, "
                << "e.g. RELAIS_REDIS_PORT for --redis-port.\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "error: " << e.what() << "\n" << usage_line << "\n(--help lists the options)\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace relais
