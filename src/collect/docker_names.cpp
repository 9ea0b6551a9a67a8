#include "pc/collect/docker_names.hpp"

#include "pc/collect/sampler.hpp"
#include "pc/record/go_json.hpp"

namespace pc::collect {

namespace {

// Position just past the JSON string that starts at `pos` (a '"'), or npos.
std::size_t skip_string(std::string_view s, std::size_t pos) {
    for (std::size_t i = pos + 1; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == '"') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

}  // namespace

std::string docker_name_from_config(std::string_view json) {
    int depth = 0;
    bool expect_key = false;  // the next string at depth 1 is a key
    for (std::size_t i = 0; i < json.size();) {
        char c = json[i];
        if (c == '{') {
            ++depth;
            expect_key = depth == 1;
            ++i;
        } else if (c == '[') {
            ++depth;
            ++i;
        } else if (c == '}' || c == ']') {
            --depth;
            ++i;
        } else if (c == ',') {
            expect_key = depth == 1;
            ++i;
        } else if (c == '"') {
            std::size_t end = skip_string(json, i);
            if (end == std::string_view::npos) return {};
            bool is_name_key = depth == 1 && expect_key && json.substr(i, end - i) == "\"Name\"";
            expect_key = false;
            i = end;
            if (!is_name_key) continue;
            while (i < json.size() && (json[i] == ' ' || json[i] == ':' || json[i] == '\n' ||
                                       json[i] == '\t' || json[i] == '\r')) {
                ++i;
            }
            if (i >= json.size() || json[i] != '"') return {};
            std::size_t vend = skip_string(json, i);
            if (vend == std::string_view::npos) return {};
            auto decoded = record::decode_json_string_body(json.substr(i + 1, vend - i - 2));
            if (!decoded) return {};
            std::string_view name = *decoded;
            if (name.starts_with('/')) name.remove_prefix(1);
            return std::string(name);
        } else {
            ++i;
        }
    }
    return {};
}

const std::string& DockerNames::name(const std::string& id) {
    auto it = names_.find(id);
    if (it != names_.end()) {
        it->second.seen = true;
        return it->second.name;
    }
    int error = 0;
    auto text = read_source_file(root_ / "containers" / id / "config.v2.json", error);
    Entry e{text ? docker_name_from_config(*text) : std::string(), true};
    return names_.emplace(id, std::move(e)).first->second.name;
}

void DockerNames::forget_others() {
    for (auto it = names_.begin(); it != names_.end();) {
        if (!it->second.seen) {
            it = names_.erase(it);
        } else {
            it->second.seen = false;
            ++it;
        }
    }
}

}  // namespace pc::collect
