#include "pc/report/csp_hashes.hpp"

#include <algorithm>

#include "pc/keys/sha256.hpp"

namespace pc::report {

namespace {

std::string base64(const keys::Sha256Digest& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned v =
            (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8) | bytes[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = unsigned{bytes[i]} << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

void add_once(std::vector<std::string>& to, std::string hash) {
    if (std::find(to.begin(), to.end(), hash) == to.end()) to.push_back(std::move(hash));
}

std::string joined(const std::vector<std::string>& sources) {
    if (sources.empty()) return "'none'";
    std::string out;
    for (const auto& s : sources) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

}  // namespace

std::string csp_hash(std::string_view block) {
    return "'sha256-" + base64(keys::sha256(block)) + "'";
}

void CspHashes::add_script(std::string_view code) {
    add_once(scripts_, csp_hash(code));
}

void CspHashes::add_style(std::string_view css) {
    add_once(styles_, csp_hash(css));
}

void CspHashes::add_style_attribute(std::string_view value) {
    add_once(style_attributes_, csp_hash(value));
}

void CspHashes::add(const CspHashes& other) {
    for (const auto& s : other.scripts_) add_once(scripts_, s);
    for (const auto& s : other.styles_) add_once(styles_, s);
    for (const auto& s : other.style_attributes_) add_once(style_attributes_, s);
}

std::string CspHashes::script_src() const {
    return joined(scripts_);
}

std::string CspHashes::style_src() const {
    if (style_attributes_.empty()) return joined(styles_);
    std::vector<std::string> all{"'unsafe-hashes'"};
    all.insert(all.end(), styles_.begin(), styles_.end());
    all.insert(all.end(), style_attributes_.begin(), style_attributes_.end());
    return joined(all);
}

}  // namespace pc::report
