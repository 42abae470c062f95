#include "common/catalog.h"

#include <algorithm>

namespace relais {
namespace {

std::vector<std::string> Split(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

bool Catalog::HasCommune(std::string_view c) const { return Contains(communes, c); }
bool Catalog::HasPublic(std::string_view p) const { return Contains(publics, p); }

Catalog Catalog::Brussels() {
  return Catalog{
      .communes = {"brussels", "anderlecht", "auderghem", "berchem-sainte-agathe", "etterbeek", "evere", "forest",
                   "ganshoren", "ixelles", "jette", "koekelberg", "molenbeek-saint-jean", "saint-gilles",
                   "saint-josse-ten-noode", "schaerbeek", "uccle", "watermael-boitsfort", "woluwe-saint-lambert",
                   "woluwe-saint-pierre"},
      .publics = {"single_men", "single_women", "families", "unaccompanied_minors", "lgbtqia", "medical",
                  "addictions", "mental_health", "pets"},
  };
}

Catalog Catalog::FromLists(const std::string& communes, const std::string& publics) {
  Catalog c = Brussels();
  if (!communes.empty()) c.communes = Split(communes);
  if (!publics.empty()) c.publics = Split(publics);
  return c;
}

}  // namespace relais
