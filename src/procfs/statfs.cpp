#include "pc/procfs/statfs.hpp"

#include <nlohmann/json.hpp>

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

bool consume(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    s.remove_prefix(prefix.size());
    return true;
}

bool take_u64(std::string_view& s, std::uint64_t& out) {
    auto res = std::from_chars(s.data(), s.data() + s.size(), out);
    if (res.ec != std::errc()) return false;
    s.remove_prefix(static_cast<std::size_t>(res.ptr - s.data()));
    return true;
}

// The exact form pcc writes, without a JSON library: the hot path.
bool parse_canonical(std::string_view s, FsStat& fs) {
    if (!consume(s, "{\"mount_point\":\"")) return false;
    std::size_t q = s.find('"');
    if (q == std::string_view::npos) return false;
    std::string_view name = s.substr(0, q);
    if (name.find('\\') != std::string_view::npos) return false;  // escapes: slow path
    fs.mount_point.assign(name);
    s.remove_prefix(q + 1);
    return consume(s, ",\"block_size\":") && take_u64(s, fs.block_size) &&
           consume(s, ",\"blocks_total\":") && take_u64(s, fs.blocks_total) &&
           consume(s, ",\"blocks_free\":") && take_u64(s, fs.blocks_free) &&
           consume(s, ",\"blocks_available\":") && take_u64(s, fs.blocks_available) && s == "}";
}

bool parse_any(std::string_view s, FsStat& fs, std::string& why) {
    auto j = nlohmann::json::parse(s.begin(), s.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        why = "not a JSON object: " + excerpt(s);
        return false;
    }
    auto mp = j.find("mount_point");
    if (mp == j.end() || !mp->is_string()) {
        why = "missing string \"mount_point\"";
        return false;
    }
    fs.mount_point = mp->get<std::string>();
    struct Field {
        const char* key;
        std::uint64_t* dst;
    };
    const Field fields[] = {{"block_size", &fs.block_size},
                            {"blocks_total", &fs.blocks_total},
                            {"blocks_free", &fs.blocks_free},
                            {"blocks_available", &fs.blocks_available}};
    for (const auto& f : fields) {
        auto it = j.find(f.key);
        if (it == j.end() || !it->is_number_unsigned()) {
            why = std::string("missing or non-integer \"") + f.key + "\" for " +
                  excerpt(fs.mount_point);
            return false;
        }
        *f.dst = it->get<std::uint64_t>();
    }
    return true;
}

}  // namespace

ParseStatus parse_statfs(std::string_view text, std::vector<FsStat>& out) {
    std::size_t used = 0;
    LineCursor lines(text);
    std::string_view line;
    std::string why;
    while (lines.next(line)) {
        line = trim(line);
        if (line.empty()) continue;
        if (used == out.size()) out.emplace_back();
        FsStat& fs = out[used++];
        if (!parse_canonical(line, fs) && !parse_any(line, fs, why)) {
            out.resize(used - 1);
            return ParseStatus::failure(line_error(lines.number(), why));
        }
    }
    out.resize(used);
    return ParseStatus::success();
}

}  // namespace pc::procfs
