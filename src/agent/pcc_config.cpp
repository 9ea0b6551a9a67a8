#include "pc/agent/pcc_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "pc/api/trickle.hpp"
#include "pc/collect/subsystems.hpp"
#include "pc/core/byte_size.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/logging.hpp"
#include "pc/core/strings.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/record/identifier.hpp"
#include "pc/record/subsystem_names.hpp"
#include "pc/trickle/server_list.hpp"

namespace pc::agent {

namespace {

bool valid_port(std::string_view port) {
    if (port.empty() || port.size() > 5) return false;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

// host or host:port, host may be a bracketed IPv6 address.
bool valid_authority(std::string_view authority, bool port_required) {
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        host = authority.substr(0, close + 1);
        auto rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return false;
            port = rest.substr(1);
            if (!valid_port(port)) return false;
        }
    } else {
        auto colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
            if (!valid_port(port)) return false;
        }
        if (host.empty()) return false;
        for (char c : host) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                  c == '_')) {
                return false;
            }
        }
    }
    return !port_required || !port.empty();
}

bool has_control_or_space(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f;
    });
}

// A whole number from `min` to `max`, or nullopt.
std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t min,
                                         std::uint64_t max) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

}  // namespace

std::string read_machine_id(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return {};
    try {
        auto text = core::read_whole_file(path);
        auto newline = text.find('\n');
        return core::trimmed(newline == std::string::npos ? text : text.substr(0, newline));
    } catch (const core::UserError&) {
        return {};
    }
}

std::string normalize_server_url(std::string_view url, std::string_view variable) {
    auto fail = [&] {
        return core::UsageError(std::string(variable) + ": invalid server URL \"" +
                                std::string(url) +
                                "\"; use http://host:port or https://host:port, e.g. "
                                "http://localhost:8080");
    };
    std::string_view rest;
    if (url.substr(0, 7) == "http://") {
        rest = url.substr(7);
    } else if (url.substr(0, 8) == "https://") {
        rest = url.substr(8);
    } else {
        throw fail();
    }
    if (has_control_or_space(url) || url.find_first_of("?#@") != std::string_view::npos) {
        throw fail();
    }
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (!valid_authority(authority, false)) throw fail();
    std::string normalized(url);
    while (normalized.back() == '/') normalized.pop_back();
    return normalized;
}

std::string server_url_from_host_port(std::string_view host_port, std::string_view variable) {
    if (host_port.substr(0, 7) == "http://" || host_port.substr(0, 8) == "https://") {
        return normalize_server_url(host_port, variable);
    }
    if (has_control_or_space(host_port) || !valid_authority(host_port, true)) {
        throw core::UsageError(std::string(variable) + ": invalid server \"" +
                               std::string(host_port) + "\"; use host:port, e.g. localhost:8080");
    }
    return "http://" + std::string(host_port);
}

namespace {

// Each server of a comma-separated list through `one`, joined again with commas.
template <typename Normalize>
std::string normalize_server_list(std::string_view list, Normalize one) {
    std::string joined;
    for (const auto& server : trickle::split_server_list(list))
        joined += (joined.empty() ? "" : ",") + one(server);
    return joined;
}

}  // namespace

PccOptions::PccOptions(core::FlagParser& flags, std::filesystem::path machine_id_path,
                       PccVariant variant)
    : machine_id_path_(std::move(machine_id_path)), variant_(variant), flags_(flags) {
    const bool cc = variant == PccVariant::container_collector;
    if (cc) collection_ = "/tmp/pcc-container.json";
    auto add = [&](const char* flag, std::string& value, const char* env, const char* help,
                   const std::string& shown_default) {
        flags.add(flag, value, env, help, shown_default);
    };
    add("--mode", mode_, "PCC_MODE", "local (append to PCC_COLLECTION) or trickle (send to pcd)",
        mode_);
    add("--collection", collection_, cc ? "PCC_CONTAINER_COLLECTION" : "PCC_COLLECTION",
        "Collection file in local mode (appended, mode 0600)", collection_);
    add("--duration", duration_, cc ? "PCC_CONTAINER_DURATION" : "PCC_DURATION",
        "Total collection time, Go duration syntax (24h, 1h30m, 630s); 0 or forever: until "
        "stopped",
        duration_);
    add("--frequency", frequency_, cc ? "PCC_CONTAINER_FREQUENCY" : "PCC_FREQUENCY",
        "Sampling interval, whole seconds, at least 1s (10s, 5s, 1m)", frequency_);
    add("--identifier", identifier_, "PCC_IDENTIFIER",
        "Machine name sent in trickle mode (letters, digits, . _ -)",
        "contents of " + machine_id_path_.string());
    add("--loglevel", loglevel_, "PCC_LOGLEVEL",
        "Log level (trace, debug, info, warning, error) or a spec like pcc=INFO;hoarder=INFO",
        loglevel_);
    add("--apikey", apikey_, "PCC_APIKEY",
        "API key for trickle mode (prefer the environment: flags are visible in ps)", "none");
    add("--server-url", server_url_, "PCC_SERVER_URL",
        "Base URL of pcd in trickle mode (http:// or https://); several, comma-separated: "
        "replicas on one store, the next is used on connection errors and 5xx",
        server_url_);
    add("--server", server_, "PCC_SERVER",
        "pcd as host:port (several, comma-separated); used when PCC_SERVER_URL is not set", "none");
    add("--cafile", cafile_, "PCC_CAFILE",
        "PEM file of a private CA for https (default: the system's CAs)", "system CAs");
    add("--compression", compression_, "PCC_COMPRESSION",
        "Request body compression in trickle mode: gzip or none", compression_);
    add("--spool", spool_, "PCC_SPOOL", "Spool directory of unsent ticks in trickle mode",
        "<PCC_COLLECTION>.spool");
    add("--spool-max", spool_max_, "PCC_SPOOL_MAX",
        "Spool size cap, oldest ticks dropped first (256MiB, 64M, 1048576)", spool_max_);
    add("--batch-max", batch_max_, "PCC_BATCH_MAX", "Most ticks per trickle request", batch_max_);
    add("--drain-timeout", drain_timeout_, "PCC_DRAIN_TIMEOUT",
        "Time to deliver spooled ticks at the end of a trickle run", drain_timeout_);
    add("--procroot", procroot_, "PCC_PROCROOT",
        "Directory read instead of /proc (recorded trees, containers)", procroot_);
    if (!cc) {
        add("--subsystems", subsystems_, "PCC_SUBSYSTEMS",
            "Comma-separated subsystems; \"default\" = the original's set, extras /proc/uptime, "
            "/proc/vmstat, /proc/loadavg, container[*] and service[*] (e.g. default,container[*])",
            collect::default_subsystems_text());
    }
    add("--rotate", rotate_, "PCC_ROTATE",
        "Local mode: start a new collection file daily, hourly or at a size (64MiB); the full "
        "one is renamed with its date",
        rotate_);
    add("--keep", keep_, "PCC_KEEP",
        "Rotated collection files kept, oldest removed first; 0 keeps all", keep_);
    add("--cgroup-root", cgroup_root_, "PCC_CGROUPROOT",
        "cgroup v2 root read by container[*] and service[*]", cgroup_root_);
    add("--docker-root", docker_root_, "PCC_DOCKER_ROOT",
        "Docker's data directory, for container names (containers/<id>/config.v2.json)",
        docker_root_);
}

PccConfig PccOptions::resolve() const {
    PccConfig c;
    // Messages name what the user wrote (the flag or the variable) and the valid form in the
    // same spelling.
    auto who = [&](const char* flag) { return flags_.name(flag); };
    auto eg = [&](const char* flag, const char* value) { return flags_.example(flag, value); };
    auto quoted = [](const std::string& text) { return "\"" + text + "\""; };

    auto mode = core::to_lower(core::trimmed(mode_));
    if (mode == "local") {
        c.mode = PccMode::local;
    } else if (mode == "trickle") {
        c.mode = PccMode::trickle;
    } else {
        throw core::UsageError(who("--mode") + ": invalid mode " + quoted(mode_) +
                               "; use local or trickle, e.g. " + eg("--mode", "local"));
    }

    if (core::trimmed(collection_).empty()) {
        throw core::UsageError(who("--collection") + ": empty path; use e.g. " +
                               eg("--collection", "/tmp/pcc.json"));
    }
    c.collection = collection_;

    c.frequency_text = frequency_;
    c.frequency = core::parse_duration_or_throw(core::trimmed(frequency_), who("--frequency"));
    if (c.frequency < std::chrono::seconds(1)) {
        throw core::UsageError(who("--frequency") + ": " + quoted(frequency_) +
                               " is below 1s (timestamps are whole seconds); use e.g. " +
                               eg("--frequency", "10s"));
    }
    if (c.frequency % std::chrono::seconds(1) != core::Duration::zero()) {
        throw core::UsageError(who("--frequency") + ": " + quoted(frequency_) +
                               " is not a whole number of seconds (timestamps are whole "
                               "seconds, so ticks could not be that far apart); use e.g. " +
                               eg("--frequency", "2s"));
    }

    c.duration_text = duration_;
    const auto duration_word = core::to_lower(core::trimmed(duration_));
    if (duration_word == "forever") {
        c.forever = true;
    } else {
        c.duration = core::parse_duration_or_throw(core::trimmed(duration_), who("--duration"));
        if (c.duration < core::Duration::zero()) {
            throw core::UsageError(who("--duration") + ": " + quoted(duration_) +
                                   " is negative; use a duration such as " +
                                   eg("--duration", "24h") +
                                   ", or 0 or forever to run until "
                                   "stopped");
        }
        c.forever = c.duration == core::Duration::zero();
        if (!c.forever && c.duration < c.frequency) {
            throw core::UsageError(who("--duration") + ": " + quoted(duration_) +
                                   " is shorter than " + who("--frequency") + " " +
                                   quoted(frequency_) + ", so no sample would be taken; use e.g. " +
                                   eg("--duration", "1h"));
        }
    }
    // Forever is a schedule without an end: as many ticks as the clock can count.
    if (c.forever) c.duration = core::Duration::max();

    c.log_level_text = loglevel_;
    c.log_level = core::parse_log_level(loglevel_, "pcc", who("--loglevel"));

    bool identifier_given = !identifier_.empty();
    c.identifier =
        identifier_given ? core::trimmed(identifier_) : read_machine_id(machine_id_path_);
    if ((identifier_given || c.mode == PccMode::trickle) &&
        !record::valid_identifier(c.identifier)) {
        if (c.identifier.empty()) {
            throw core::UsageError(who("--identifier") + ": not set and " +
                                   machine_id_path_.string() + " is unreadable; set it, e.g. " +
                                   eg("--identifier", "web-01"));
        }
        throw core::UsageError(who("--identifier") + ": invalid identifier " +
                               quoted(c.identifier) +
                               "; use 1-128 letters, digits, '.', '_' or '-' not starting with "
                               "'.', e.g. " +
                               eg("--identifier", "web-01"));
    }

    c.api_key = apikey_;
    if (has_control_or_space(c.api_key)) {
        throw core::UsageError(who("--apikey") +
                               ": contains whitespace or control characters; use the key "
                               "alone, e.g. PCC_APIKEY=$(cat key.txt)");
    }
    if (c.mode == PccMode::trickle && c.api_key.empty()) {
        throw core::UsageError(
            "PCC_APIKEY: required in trickle mode; set it, e.g. "
            "PCC_APIKEY=<key from pcctl apikey generate>");
    }

    const bool url_given = flags_.given("--server-url");
    const bool server_given = flags_.given("--server");
    const auto from_host_port = [&](std::string_view s) {
        return server_url_from_host_port(s, who("--server"));
    };
    const auto from_url = [&](std::string_view s) {
        return normalize_server_url(s, who("--server-url"));
    };
    if (server_given && !url_given) {
        c.server_url = normalize_server_list(core::trimmed(server_), from_host_port);
    } else {
        c.server_url = normalize_server_list(core::trimmed(server_url_), from_url);
        if (server_given) normalize_server_list(core::trimmed(server_), from_host_port);  // check
    }

    c.ca_file = cafile_;
    if (!c.ca_file.empty() && c.mode == PccMode::trickle) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(c.ca_file, ec)) {
            throw core::UsageError(who("--cafile") + ": " + c.ca_file +
                                   " is not a readable file; give a PEM CA certificate, e.g. " +
                                   eg("--cafile", "/etc/pcc/ca.pem"));
        }
    }

    auto compression = core::to_lower(core::trimmed(compression_));
    if (compression == "gzip") {
        c.gzip = true;
    } else if (compression == "none") {
        c.gzip = false;
    } else {
        throw core::UsageError(who("--compression") + ": invalid value " + quoted(compression_) +
                               "; use gzip or none, e.g. " + eg("--compression", "gzip"));
    }

    c.spool_dir = spool_.empty() ? std::filesystem::path(collection_ + ".spool")
                                 : std::filesystem::path(spool_);
    c.spool_max_bytes =
        core::parse_byte_size_or_throw(core::trimmed(spool_max_), who("--spool-max"));
    if (c.spool_max_bytes < (1u << 16)) {
        throw core::UsageError(who("--spool-max") + ": " + quoted(spool_max_) +
                               " is below 64KiB, too small to hold a tick; use e.g. " +
                               eg("--spool-max", "256MiB"));
    }
    const auto batch_max = parse_count(core::trimmed(batch_max_), 1, 100000);
    if (!batch_max) {
        throw core::UsageError(who("--batch-max") + ": invalid value " + quoted(batch_max_) +
                               "; use a number of ticks per request from 1 to 100000, e.g. " +
                               eg("--batch-max", "10"));
    }
    c.batch_max = static_cast<std::size_t>(*batch_max);
    c.drain_timeout =
        core::parse_duration_or_throw(core::trimmed(drain_timeout_), who("--drain-timeout"));
    if (c.drain_timeout < core::Duration::zero()) {
        throw core::UsageError(who("--drain-timeout") + ": must not be negative, e.g. " +
                               eg("--drain-timeout", "10s"));
    }

    c.procroot = procroot_;
    std::error_code ec;
    if (procroot_.empty() || !std::filesystem::is_directory(c.procroot, ec)) {
        throw core::UsageError(who("--procroot") + ": " + quoted(procroot_) +
                               " is not a directory; use e.g. " + eg("--procroot", "/proc"));
    }

    c.variant = variant_;
    if (variant_ == PccVariant::container_collector) {
        c.subsystems = {std::string(record::subsystem::kContainers)};
    } else {
        c.subsystems = collect::parse_subsystems(
            subsystems_.empty() ? collect::default_subsystems_text() : subsystems_,
            who("--subsystems"));
    }
    if (cgroup_root_.empty()) {
        throw core::UsageError(who("--cgroup-root") + ": empty path; use e.g. " +
                               eg("--cgroup-root", "/sys/fs/cgroup"));
    }
    c.cgroup_root = cgroup_root_;
    c.docker_root = docker_root_;

    c.rotate_text = core::to_lower(core::trimmed(rotate_));
    if (c.rotate_text == "never" || c.rotate_text.empty()) {
        c.rotate = collect::RotateEvery::never;
        c.rotate_text = "never";
    } else if (c.rotate_text == "daily") {
        c.rotate = collect::RotateEvery::day;
    } else if (c.rotate_text == "hourly") {
        c.rotate = collect::RotateEvery::hour;
    } else if (auto bytes = core::parse_byte_size(c.rotate_text); bytes && *bytes >= 4096) {
        c.rotate = collect::RotateEvery::size;
        c.rotate_bytes = *bytes;
        c.rotate_text = core::format_byte_size(*bytes);
    } else {
        throw core::UsageError(who("--rotate") + ": invalid value " + quoted(rotate_) +
                               "; use daily, hourly, never or a size of at least 4KiB, e.g. " +
                               eg("--rotate", "daily") + " or " + eg("--rotate", "64MiB"));
    }
    const auto keep = parse_count(core::trimmed(keep_), 0, 100000);
    if (!keep) {
        throw core::UsageError(who("--keep") + ": invalid value " + quoted(keep_) +
                               "; use a number of files from 0 (keep all) to 100000, e.g. " +
                               eg("--keep", "7"));
    }
    c.keep = static_cast<std::size_t>(*keep);
    return c;
}

trickle::TrickleOptions make_trickle_options(const PccConfig& config) {
    trickle::TrickleOptions o;
    o.server_url = config.server_url;
    o.api_key = config.api_key;
    o.identifier = config.identifier;
    o.ca_file = config.ca_file;
    o.gzip = config.gzip;
    o.spool_dir = config.spool_dir;
    o.spool_max_bytes = static_cast<std::size_t>(config.spool_max_bytes);
    o.batch_max = config.batch_max;
    o.drain_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.drain_timeout);
    return o;
}

std::vector<std::pair<std::string, std::string>> printable_config(const PccConfig& c) {
    std::string subsystems;
    for (const auto& s : c.subsystems) subsystems += (subsystems.empty() ? "" : ",") + s;
    std::vector<std::pair<std::string, std::string>> lines{
        {"PCC_APIKEY", c.api_key.empty()
                           ? "(not set)"
                           : "(set, fingerprint " + keys::key_fingerprint(c.api_key) + ")"},
        {"PCC_BATCH_MAX", std::to_string(c.batch_max)},
        {"PCC_CAFILE", c.ca_file.empty() ? "(system CAs)" : c.ca_file},
        {"PCC_CGROUPROOT", c.cgroup_root.string()},
        {"PCC_COLLECTION", c.collection.string()},
        {"PCC_COMPRESSION", c.gzip ? "gzip" : "none"},
        {"PCC_DOCKER_ROOT", c.docker_root.string()},
        {"PCC_DRAIN_TIMEOUT", core::format_duration(c.drain_timeout)},
        {"PCC_DURATION", c.duration_text},
        {"PCC_FREQUENCY", c.frequency_text},
        {"PCC_IDENTIFIER", c.identifier.empty() ? "(none)" : c.identifier},
        {"PCC_KEEP", c.keep == 0 ? "0 (all)" : std::to_string(c.keep)},
        {"PCC_LOGLEVEL", c.log_level_text},
        {"PCC_MODE", c.mode == PccMode::local ? "local" : "trickle"},
        {"PCC_PROCROOT", c.procroot.string()},
        {"PCC_ROTATE", c.rotate_text},
        {"PCC_SERVER_URL", c.server_url},
        {"PCC_SPOOL", c.spool_dir.string()},
        {"PCC_SPOOL_MAX", core::format_byte_size(c.spool_max_bytes)},
        {"PCC_SUBSYSTEMS", subsystems},
    };
    if (c.variant == PccVariant::container_collector) {
        for (auto& [key, value] : lines) {
            if (key == "PCC_COLLECTION" || key == "PCC_DURATION" || key == "PCC_FREQUENCY") {
                key.insert(4, "CONTAINER_");
            }
        }
        std::sort(lines.begin(), lines.end());
    }
    return lines;
}

}  // namespace pc::agent
