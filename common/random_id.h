#pragma once
// Random identifiers for objects Relais creates (holds, crises, later requests and persons): 96 random
// bits in hex behind a short prefix. Unguessable, so an id reveals nothing and cannot be enumerated.
#include <string>
#include <string_view>

namespace relais {

std::string RandomId(std::string_view prefix);

}  // namespace relais
