#pragma once
// The region's lists that requests are checked against, by every service: communes and publics. Both are configuration
// (a list can grow without a code change); the defaults are Brussels-Capital's.
#include <string>
#include <string_view>
#include <vector>

namespace relais {

struct Catalog {
  std::vector<std::string> communes;
  std::vector<std::string> publics;

  bool HasCommune(std::string_view c) const;
  bool HasPublic(std::string_view p) const;

  static Catalog Brussels();
  // Comma-separated lists; an empty string keeps the default list.
  static Catalog FromLists(const std::string& communes, const std::string& publics);
};

}  // namespace relais
