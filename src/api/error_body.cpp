#include "pc/api/error_body.hpp"

#include <nlohmann/json.hpp>

#include "pc/record/go_json.hpp"

namespace pc::api {

std::string encode_error_body(std::string_view message) {
    std::string out = "{\"error\":";
    record::append_go_json_string(out, message);
    out += '}';
    return out;
}

std::optional<std::string> decode_error_body(std::string_view body) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto e = j.find("error");
    if (e == j.end() || !e->is_string()) return std::nullopt;
    return e->get<std::string>();
}

}  // namespace pc::api
