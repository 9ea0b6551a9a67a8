// Display names for container ids: the container_names.json users make with `docker inspect`
// (full id -> name), also in the hand-edited variants seen in real runs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pc::process {

using ContainerNames = std::unordered_map<std::string, std::string>;

// A JSON object of string values. When the text is not valid JSON (stray or trailing commas,
// a missing closing brace), its "key": "value" pairs are still read in order. Pairs whose
// value is not a string are ignored. Throws UserError when no object can be read at all.
ContainerNames parse_container_names(std::string_view text);

// Reads and parses a names file; throws UserError naming the path when it cannot be read.
ContainerNames load_container_names(const std::filesystem::path& path);

}  // namespace pc::process
