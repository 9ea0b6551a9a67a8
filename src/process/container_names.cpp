#include "pc/process/container_names.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"

namespace pc::process {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// One JSON string token starting at `pos` (a '"'), decoded; nullopt when it is not one.
std::optional<std::string> string_token(std::string_view text, std::size_t& pos) {
    if (pos >= text.size() || text[pos] != '"') return std::nullopt;
    std::size_t end = pos + 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2U : 1U;
    if (end >= text.size()) return std::nullopt;
    auto j = nlohmann::json::parse(text.substr(pos, end + 1 - pos), nullptr, false);
    pos = end + 1;
    if (!j.is_string()) return std::nullopt;
    return j.get<std::string>();
}

// Skips whitespace and any number of commas: the separators hand-edited files get wrong.
void skip_separators(std::string_view text, std::size_t& pos) {
    while (pos < text.size() && (is_space(text[pos]) || text[pos] == ',')) ++pos;
}

// The lenient reading: pairs in order until '}' or the end of the text.
ContainerNames scan_pairs(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos >= text.size() || text[pos] != '{') {
        throw core::UserError("container names: expected a JSON object of id -> name");
    }
    ++pos;
    ContainerNames names;
    for (;;) {
        skip_separators(text, pos);
        if (pos >= text.size() || text[pos] == '}') break;
        auto key = string_token(text, pos);
        while (pos < text.size() && is_space(text[pos])) ++pos;
        if (!key || pos >= text.size() || text[pos] != ':') {
            throw core::UserError("container names: unreadable entry at byte " +
                                  std::to_string(pos));
        }
        ++pos;
        while (pos < text.size() && is_space(text[pos])) ++pos;
        if (auto value = string_token(text, pos)) {
            names[*key] = std::move(*value);
        } else {
            // A non-string value: skip to the next separator.
            while (pos < text.size() && text[pos] != ',' && text[pos] != '}') ++pos;
        }
    }
    return names;
}

}  // namespace

ContainerNames parse_container_names(std::string_view text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return scan_pairs(text);
    if (!j.is_object()) {
        throw core::UserError("container names: expected a JSON object of id -> name");
    }
    ContainerNames names;
    for (const auto& [key, value] : j.items()) {
        if (value.is_string()) names[key] = value.get<std::string>();
    }
    return names;
}

ContainerNames load_container_names(const std::filesystem::path& path) {
    std::string text = core::read_whole_file(path);
    try {
        return parse_container_names(text);
    } catch (const core::UserError& e) {
        throw core::UserError(path.string() + ": " + e.what());
    }
}

}  // namespace pc::process
