#include "pc/collect/mounts.hpp"

#include <algorithm>
#include <unordered_set>

namespace pc::collect {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return lines;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
        std::size_t end = pos;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
        if (end > pos) fields.push_back(line.substr(pos, end - pos));
        pos = end;
    }
    return fields;
}

bool is_octal(char c) {
    return c >= '0' && c <= '7';
}

}  // namespace

std::string unescape_mount_field(std::string_view field) {
    std::string out;
    out.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
            is_octal(field[i + 2]) && is_octal(field[i + 3])) {
            int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
            if (value < 256) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += field[i];
    }
    return out;
}

std::vector<Mount> parse_mounts(std::string_view mounts_text) {
    std::vector<Mount> mounts;
    for (auto line : split_lines(mounts_text)) {
        auto fields = split_fields(line);
        if (fields.size() < 3) continue;
        mounts.push_back(Mount{unescape_mount_field(fields[0]), unescape_mount_field(fields[1]),
                               std::string(fields[2])});
    }
    return mounts;
}

std::vector<std::string> device_filesystem_types(std::string_view filesystems_text) {
    std::vector<std::string> types;
    for (auto line : split_lines(filesystems_text)) {
        if (line.substr(0, 5) == "nodev") continue;
        if (line.find("squashfs") != std::string_view::npos) continue;
        auto fields = split_fields(line);
        if (fields.empty()) continue;
        types.emplace_back(fields.back());
    }
    return types;
}

std::vector<Mount> select_mounts(std::string_view mounts_text, std::string_view filesystems_text) {
    auto types = device_filesystem_types(filesystems_text);
    std::unordered_set<std::string> seen_devices;
    std::vector<Mount> selected;
    for (auto& mount : parse_mounts(mounts_text)) {
        if (std::find(types.begin(), types.end(), mount.fstype) == types.end()) continue;
        if (!seen_devices.insert(mount.device).second) continue;
        selected.push_back(std::move(mount));
    }
    return selected;
}

}  // namespace pc::collect
