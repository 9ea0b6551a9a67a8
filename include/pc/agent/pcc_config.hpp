// pcc's configuration: environment variables, each also a command-line flag (the flag wins).
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pc/collect/rotating_collection.hpp"
#include "pc/core/duration.hpp"
#include "pc/core/flag_parser.hpp"
#include "pc/trickle/trickle_options.hpp"

namespace pc::agent {

enum class PccMode { local, trickle };

// pcc itself, or the original's container collector (pcc started as pcc-container-linux):
// PCC_CONTAINER_{DURATION,FREQUENCY,COLLECTION}, container records only, a first sample at the
// start and the original's plain stdout lines.
enum class PccVariant { agent, container_collector };

// The program name that selects PccVariant::container_collector.
inline constexpr std::string_view kContainerCollectorName = "pcc-container-linux";

// The validated, effective configuration.
struct PccConfig {
    PccMode mode = PccMode::local;
    std::filesystem::path collection = "/tmp/pcc.json";
    std::string duration_text = "24h";  // as given, for the banner
    core::Duration duration = std::chrono::hours(24);
    bool forever = false;  // PCC_DURATION=0 or forever: until SIGINT/SIGTERM
    std::string frequency_text = "10s";
    core::Duration frequency = std::chrono::seconds(10);
    std::string identifier;  // PCC_IDENTIFIER or /etc/machine-id
    std::string log_level_text = "info";
    spdlog::level::level_enum log_level = spdlog::level::info;
    std::string api_key;
    std::string server_url = "http://localhost:8080";
    std::string ca_file;
    bool gzip = true;
    std::filesystem::path spool_dir;  // default: <collection>.spool
    std::uint64_t spool_max_bytes = 256ull << 20;
    std::size_t batch_max = 10;
    core::Duration drain_timeout = std::chrono::seconds(10);
    std::filesystem::path procroot = "/proc";
    std::vector<std::string> subsystems;                        // in tick order
    collect::RotateEvery rotate = collect::RotateEvery::never;  // PCC_ROTATE (local mode)
    std::uint64_t rotate_bytes = 0;                             // RotateEvery::size
    std::string rotate_text = "never";
    std::size_t keep = 7;  // rotated files kept (0: all)
    std::filesystem::path cgroup_root = "/sys/fs/cgroup";
    std::filesystem::path docker_root = "/var/lib/docker";
    PccVariant variant = PccVariant::agent;
};

// Binds every setting to `flags` as a flag with its environment variable, and validates them.
class PccOptions {
public:
    // `machine_id_path` is where PCC_IDENTIFIER's default comes from (tests point it elsewhere).
    explicit PccOptions(core::FlagParser& flags,
                        std::filesystem::path machine_id_path = "/etc/machine-id",
                        PccVariant variant = PccVariant::agent);

    // Call after flags.parse(). Throws UsageError (one line naming the flag or variable that
    // was given, with an example of the valid form) on the first invalid value.
    PccConfig resolve() const;

private:
    std::filesystem::path machine_id_path_;
    std::string mode_ = "local";
    std::string collection_ = "/tmp/pcc.json";
    std::string duration_ = "24h";
    std::string frequency_ = "10s";
    std::string identifier_;
    std::string loglevel_ = "info";
    std::string apikey_;
    std::string server_url_ = "http://localhost:8080";
    std::string server_;
    std::string cafile_;
    std::string compression_ = "gzip";
    std::string spool_;
    std::string spool_max_ = "256MiB";
    std::string batch_max_ = "10";
    std::string drain_timeout_ = "10s";
    std::string procroot_ = "/proc";
    std::string subsystems_;
    std::string rotate_ = "never";
    std::string keep_ = "7";
    std::string cgroup_root_ = "/sys/fs/cgroup";
    std::string docker_root_ = "/var/lib/docker";
    PccVariant variant_;
    const core::FlagParser& flags_;
};

// "http://host:port[/path]" or "https://..." checked and without a trailing '/'. Throws
// UsageError naming `variable`.
std::string normalize_server_url(std::string_view url, std::string_view variable);
// PCC_SERVER's "host:port" as a URL ("http://host:port").
std::string server_url_from_host_port(std::string_view host_port, std::string_view variable);

// The trickle sink's options from the configuration.
trickle::TrickleOptions make_trickle_options(const PccConfig& config);

// (variable, value) pairs for the startup banner, sorted by name; the API key is never included
// in clear (only whether it is set and its fingerprint).
std::vector<std::pair<std::string, std::string>> printable_config(const PccConfig& config);

// The first line of `path`, trimmed; empty when unreadable.
std::string read_machine_id(const std::filesystem::path& path);

}  // namespace pc::agent
