// Machine identifiers: the name an agent sends (PCC_IDENTIFIER) and pcd stores under.
#pragma once

#include <string_view>

namespace pc::record {

// Letters, digits, '.', '_', '-'; 1 to 128 characters; not starting with '.'.
// Safe as a file name: no '/', no "..", no NUL.
bool valid_identifier(std::string_view id);

}  // namespace pc::record
