#include "common/catalog.h"

#include <algorithm>

#include "absl/strings/str_split.h"

namespace relais {
namespace {

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
  if (!communes.empty()) c.communes = absl::StrSplit(communes, ',', absl::SkipEmpty());
  if (!publics.empty()) c.publics = absl::StrSplit(publics, ',', absl::SkipEmpty());
  return c;
}

}  // namespace relais
