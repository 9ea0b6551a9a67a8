#include "pc/keys/key_file.hpp"

#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <optional>

#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/strings.hpp"
#include "pc/keys/sha256.hpp"

namespace pc::keys {

void fill_random(void* buffer, std::size_t size) {
    auto* p = static_cast<unsigned char*>(buffer);
    while (size > 0) {
        // getrandom blocks only until the kernel's pool is first initialised, never after.
        const ssize_t got = ::getrandom(p, size, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("no random bytes available: " + core::errno_text(errno));
        }
        p += got;
        size -= static_cast<std::size_t>(got);
    }
}

KeyFile parse_key_file(std::string_view text) {
    KeyFile result;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        line = core::trim(line);
        if (line.empty() || line.front() == '#') continue;
        std::vector<std::string_view> words;
        for (std::size_t pos = 0; pos < line.size();) {
            while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
            std::size_t end = pos;
            while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
            if (end > pos) words.push_back(line.substr(pos, end - pos));
            pos = end;
        }
        const auto warn = [&](const std::string& what) {
            result.warnings.push_back("line " + std::to_string(line_no) + ": " + what +
                                      ", ignored");
        };
        KeyEntry entry{line_no, {}, false, {}};
        bool patterns_ok = true;
        for (std::size_t i = 1; i < words.size(); ++i) {
            if (!valid_identifier_pattern(words[i])) {
                patterns_ok = false;
                break;
            }
            entry.identifiers.emplace_back(words[i]);
        }
        if (!patterns_ok) {
            warn(
                "after the key come identifier patterns (letters, digits, '.', '_', '-', '*', "
                "'?'), and one is not");
            continue;
        }
        const std::string_view key = words.front();
        if (key.starts_with(kHashPrefix)) {
            auto hex = key.substr(kHashPrefix.size());
            bool ok = hex.size() == 64;
            for (char c : hex) ok = ok && std::isxdigit(static_cast<unsigned char>(c)) != 0;
            if (!ok) {
                warn("sha256: needs 64 hex digits");
                continue;
            }
            entry.key = core::to_lower(hex);
            entry.hashed = true;
            result.keys.push_back(std::move(entry));
            continue;
        }
        if (key.size() < kMinKeyLength) {
            warn("key shorter than " + std::to_string(kMinKeyLength) + " characters");
            continue;
        }
        entry.key = std::string(key);
        result.keys.push_back(std::move(entry));
    }
    return result;
}

bool valid_identifier_pattern(std::string_view pattern) {
    if (pattern.empty() || pattern.size() > 128 || pattern.front() == '.') return false;
    for (char c : pattern) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' ||
                        c == '-' || c == '*' || c == '?';
        if (!ok) return false;
    }
    return true;
}

bool identifier_matches(std::string_view pattern, std::string_view identifier) {
    // Iterative wildcard match with one backtrack point: linear in practice, never exponential.
    std::size_t p = 0, i = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (i < identifier.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == identifier[i])) {
            ++p;
            ++i;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = i;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            i = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool KeyEntry::allows(std::string_view identifier) const {
    if (identifiers.empty()) return true;
    for (const auto& pattern : identifiers) {
        if (identifier_matches(pattern, identifier)) return true;
    }
    return false;
}

KeyFile load_key_file(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            throw core::UserError("key file " + path.string() +
                                  " does not exist; create one with: pcctl apikey generate (or "
                                  "touch it to start with no keys)");
        }
        throw core::UserError("cannot read key file " + path.string() + ": " +
                              core::errno_text(errno));
    }
    auto result = parse_key_file(core::read_whole_file(path));
    result.readable_by_others = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
    return result;
}

std::string KeyEntry::digest_hex() const {
    return hashed ? key : to_hex(sha256(key));
}

std::string hashed_key_line(std::string_view key, const std::vector<std::string>& identifiers) {
    std::string line = std::string(kHashPrefix) + to_hex(sha256(key));
    for (const auto& pattern : identifiers) line.append(1, ' ').append(pattern);
    return line;
}

std::string key_fingerprint(std::string_view key) {
    return to_hex(sha256(key), 6);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // Length is not secret (keys are fixed-size); the contents are.
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

std::string generate_api_key() {
    unsigned char bytes[32];
    fill_random(bytes, sizeof bytes);
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 0x3F];
    return out;
}

void write_key_file(const std::filesystem::path& path, const std::vector<std::string>& lines) {
    auto dir = path.parent_path();
    if (!dir.empty() && !std::filesystem::exists(dir)) {
        std::filesystem::create_directories(dir);
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
    }
    std::string content;
    for (const auto& l : lines) content += l + "\n";
    unsigned mode = 0600;
    std::optional<core::FileOwner> owner;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
        owner = core::FileOwner{st.st_uid, st.st_gid};
    } else if (::geteuid() == 0) {
        // root creating a key file in pcd's home: the file belongs to whoever owns the home.
        if (::stat(dir.empty() ? "." : dir.c_str(), &st) != 0) {
            throw core::UserError("cannot read directory of " + path.string() + ": " +
                                  core::errno_text(errno));
        }
        owner = core::FileOwner{st.st_uid, st.st_gid};
    }
    // Our own ids need no fchown (and no privilege).
    if (owner && owner->uid == ::geteuid() && owner->gid == ::getegid()) owner.reset();
    core::write_file_atomic(path, content, mode, owner);
}

}  // namespace pc::keys
