#include "pc/ctl/remote.hpp"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "pc/api/error_body.hpp"
#include "pc/api/health.hpp"
#include "pc/api/machine_admin.hpp"
#include "pc/api/machines.hpp"
#include "pc/api/ping.hpp"
#include "pc/api/trickle.hpp"
#include "pc/client/base_url.hpp"
#include "pc/core/duration.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/output.hpp"
#include "pc/core/version.hpp"
#include "pc/record/identifier.hpp"

namespace fs = std::filesystem;

namespace pc::ctl {

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 200)) out += (c == '\n' || c == '\r') ? ' ' : c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::optional<std::int64_t> parse_rfc3339(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                    &consumed) != 6) {
        return std::nullopt;
    }
    std::string_view rest(text.c_str() + consumed);
    if (!rest.empty() && rest.front() == '.') {  // fractional seconds are dropped
        rest.remove_prefix(1);
        while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) {
            rest.remove_prefix(1);
        }
    }
    std::int64_t offset = 0;
    if (rest == "Z" || rest == "z") {
        offset = 0;
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
        int oh = 0, om = 0;
        if (std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &oh, &om) != 2) {
            return std::nullopt;
        }
        offset = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return static_cast<std::int64_t>(::timegm(&tm)) - offset;
}

}  // namespace

std::unique_ptr<client::HttpClient> make_pcd_client(const GlobalOptions& global) {
    auto name = [&](const char* flag, const char* variable) {
        return global.name_of ? global.name_of(flag) : std::string(variable);
    };
    client::BaseUrl base;
    try {
        base = client::parse_base_url(global.server, name("--server", "PCC_SERVER_URL"));
    } catch (const core::UserError& e) {
        throw core::UsageError(e.what());  // a bad setting, not a failure of the run
    }
    const auto timeout_name = name("--timeout", "PCCTL_TIMEOUT");
    auto timeout = parse_duration_setting(global.timeout, timeout_name.c_str());
    if (timeout.count() == 0) throw core::UsageError(timeout_name + " must be more than 0");
    client::HttpClientOptions options;
    options.connect_timeout = timeout;
    options.read_timeout = timeout;
    options.write_timeout = timeout;
    // The machine list of a large fleet; collections are streamed to a file, not counted.
    options.max_body = 64u << 20;
    options.ca_file = global.cafile;
    options.user_agent = "pcctl/" + std::string(core::version());
    return std::make_unique<client::HttpClient>(std::move(base), options);
}

std::string describe_failure(const client::HttpResult& result) {
    if (!result.has_response()) return result.error;
    const auto& r = *result.response;
    std::string out = "HTTP " + std::to_string(r.status);
    if (auto e = api::decode_error_body(r.body)) return out + ": " + *e;
    if (!r.body.empty()) out += ": " + one_line(r.body);
    return out;
}

client::Headers admin_headers(const GlobalOptions& global) {
    if (global.adminkey.empty()) {
        throw core::UserError(
            "this command needs an admin key: set PCCTL_ADMINKEY or pass --adminkey (create one "
            "on the pcd host with: pcctl apikey generate --admin, then reload pcd)");
    }
    return {{"Authorization", "Bearer " + global.adminkey}};
}

std::int64_t parse_time_argument(const std::string& text, std::string_view option,
                                 std::int64_t now) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty()) return value;
    if (auto t = parse_rfc3339(text)) return *t;
    // Whole days, as PCD_RETENTION takes them: "30d" ago.
    if (text.size() > 1 && text.size() < 7 && text.back() == 'd' &&
        text.find_first_not_of("0123456789") == text.size() - 1) {
        return now - std::stoll(text.substr(0, text.size() - 1)) * 86400;
    }
    if (auto d = core::parse_duration(text); d && d->count() >= 0) {
        return now - std::chrono::duration_cast<std::chrono::seconds>(*d).count();
    }
    throw core::UsageError(
        std::string(option) + ": cannot read time \"" + text +
        "\"; use Unix seconds (1767800521), RFC 3339 (2026-01-07T15:42:01Z) or a "
        "duration meaning that long ago (2h, 30d)");
}

PingResult ping_once(client::HttpClient& http) {
    PingResult out;
    out.origin_timestamp = unix_now();
    auto start = std::chrono::steady_clock::now();
    auto result = http.post(api::kRoutePing, api::encode_ping_request({out.origin_timestamp}),
                            "application/json");
    out.rtt = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    if (!result.has_response() || result.status() != 200) {
        throw core::UserError("ping " + http.base().to_string() + ": " + describe_failure(result));
    }
    auto pong = api::decode_ping_response(result.response->body);
    if (!pong) {
        throw core::UserError("ping " + http.base().to_string() +
                              ": the answer is not a ping response (is this pcd?): " +
                              one_line(result.response->body));
    }
    if (pong->origin_timestamp != out.origin_timestamp) {
        throw core::UserError("ping " + http.base().to_string() +
                              ": the server echoed a different timestamp (" +
                              std::to_string(pong->origin_timestamp) + " instead of " +
                              std::to_string(out.origin_timestamp) + ")");
    }
    out.server_timestamp = pong->timestamp;
    return out;
}

namespace {

struct RemoteArgs {
    int count = 1;
    std::string interval = "1s";
    std::string identifier;
    std::string since;
    std::string until;
    std::string output;
    std::string before;
};

std::string format_rtt(std::chrono::microseconds rtt) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f ms", static_cast<double>(rtt.count()) / 1000.0);
    return buf;
}

int run_ping(const GlobalOptions& global, const RemoteArgs& args, Streams s) {
    if (args.count < 1) throw core::UsageError("--count must be at least 1");
    auto interval = parse_duration_setting(args.interval, "--interval");
    auto http = make_pcd_client(global);
    nlohmann::json replies = nlohmann::json::array();
    std::chrono::microseconds min{0}, max{0}, sum{0};
    for (int i = 0; i < args.count; ++i) {
        if (i > 0) std::this_thread::sleep_for(interval);
        auto r = ping_once(*http);
        min = i == 0 ? r.rtt : std::min(min, r.rtt);
        max = std::max(max, r.rtt);
        sum += r.rtt;
        if (global.json) {
            replies.push_back({{"rtt_ms", static_cast<double>(r.rtt.count()) / 1000.0},
                               {"origintimestamp", r.origin_timestamp},
                               {"timestamp", r.server_timestamp}});
        } else {
            s.out << "pong from " << http->base().to_string() << ": rtt " << format_rtt(r.rtt)
                  << ", server time " << core::format_utc(r.server_timestamp) << " (clock offset "
                  << (r.server_timestamp - r.origin_timestamp) << " s)\n";
        }
    }
    auto avg = sum / args.count;
    if (global.json) {
        core::print_json(s.out, {{"server", http->base().to_string()},
                                 {"replies", replies},
                                 {"min_ms", static_cast<double>(min.count()) / 1000.0},
                                 {"avg_ms", static_cast<double>(avg.count()) / 1000.0},
                                 {"max_ms", static_cast<double>(max.count()) / 1000.0}});
    } else if (args.count > 1) {
        s.out << args.count << " pings: rtt min/avg/max " << format_rtt(min) << " / "
              << format_rtt(avg) << " / " << format_rtt(max) << '\n';
    }
    return 0;
}

int run_version(const GlobalOptions& global, Streams s) {
    auto http = make_pcd_client(global);
    auto result = http->get(api::kRouteVersion);
    std::string failure;
    nlohmann::json server;
    if (!result.has_response() || result.status() != 200) {
        failure = describe_failure(result);
    } else {
        server = nlohmann::json::parse(result.response->body, nullptr, false);
        if (server.is_discarded() || !server.is_object() || !server.contains("version") ||
            !server["version"].is_string()) {
            failure = "the answer is not a version document: " + one_line(result.response->body);
        }
    }
    if (global.json) {
        nlohmann::json j{{"client", {{"name", "pcctl"}, {"version", std::string(core::version())}}},
                         {"server_url", http->base().to_string()}};
        j["server"] = failure.empty() ? server : nlohmann::json(nullptr);
        if (!failure.empty()) j["error"] = failure;
        core::print_json(s.out, j);
    } else {
        s.out << "client: " << core::version_line("pcctl") << '\n';
        if (failure.empty()) {
            s.out << "server: " << server.value("name", "pcd") << ' '
                  << server["version"].get<std::string>() << " at " << http->base().to_string()
                  << '\n';
        }
    }
    if (!failure.empty()) {
        throw core::UserError("version of " + http->base().to_string() + ": " + failure);
    }
    return 0;
}

int run_health(const GlobalOptions& global, Streams s) {
    auto http = make_pcd_client(global);
    auto result = http->get(api::kRouteHealth);
    if (!result.has_response() || result.status() != 200) {
        throw core::UserError("health of " + http->base().to_string() + ": " +
                              describe_failure(result));
    }
    auto health = api::decode_health(result.response->body);
    if (!health) {
        throw core::UserError(
            "health of " + http->base().to_string() +
            ": the answer is not a health document: " + one_line(result.response->body));
    }
    if (global.json) {
        auto j = nlohmann::json::parse(result.response->body);
        j["server_url"] = http->base().to_string();
        core::print_json(s.out, j);
    } else {
        core::print_table(s.out, {"SERVER", http->base().to_string()},
                          {{"status", health->status},
                           {"version", health->version},
                           {"uptime", core::format_seconds(health->uptime_seconds)},
                           {"requests", std::to_string(health->requests)},
                           {"rejected", std::to_string(health->rejected)},
                           {"batches stored", std::to_string(health->batches_stored)},
                           {"duplicate batches", std::to_string(health->duplicates)},
                           {"records stored", std::to_string(health->records_stored)},
                           {"bytes stored", core::format_bytes(health->bytes_stored)},
                           {"machines", std::to_string(health->machines)}});
    }
    if (health->status != "ok") {
        throw core::UserError("health of " + http->base().to_string() + ": status is " +
                              health->status);
    }
    return 0;
}

int run_machines(const GlobalOptions& global, Streams s) {
    auto headers = admin_headers(global);
    auto http = make_pcd_client(global);
    auto result = http->get(api::kRouteMachines, headers);
    if (!result.has_response() || result.status() != 200) {
        throw core::UserError("machines of " + http->base().to_string() + ": " +
                              describe_failure(result));
    }
    auto machines = api::decode_machines(result.response->body);
    if (!machines) {
        throw core::UserError(
            "machines of " + http->base().to_string() +
            ": the answer is not a machine list: " + one_line(result.response->body));
    }
    if (global.json) {
        core::print_json(s.out, nlohmann::json::parse(result.response->body));
        return 0;
    }
    if (machines->empty()) {
        s.out << "no machines stored on " << http->base().to_string() << '\n';
        return 0;
    }
    auto when = [](std::int64_t t) { return t == 0 ? std::string("-") : core::format_utc(t); };
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : *machines) {
        rows.push_back({m.identifier, std::to_string(m.records), core::format_bytes(m.bytes),
                        when(m.first_timestamp), when(m.last_timestamp), when(m.last_seen)});
    }
    core::print_table(s.out, {"IDENTIFIER", "RECORDS", "SIZE", "FIRST", "LAST", "LAST SEEN"}, rows);
    return 0;
}

void check_identifier(const std::string& identifier) {
    if (!record::valid_identifier(identifier)) {
        throw core::UsageError("invalid machine identifier \"" + identifier +
                               "\" (letters, digits, '.', '_', '-'; see pcctl machines)");
    }
}

int run_trim(const GlobalOptions& global, const RemoteArgs& args, Streams s) {
    check_identifier(args.identifier);
    auto headers = admin_headers(global);
    if (args.before.empty()) throw core::UserError("--before is required");
    const std::int64_t before = parse_time_argument(args.before, "--before", unix_now());
    auto http = make_pcd_client(global);
    auto result =
        http->post(api::machine_trim_path(args.identifier) + "?before=" + std::to_string(before),
                   "", "application/json", headers);
    if (!result.has_response() || result.status() != 200) {
        throw core::UserError("trim " + args.identifier + ": " + describe_failure(result));
    }
    auto trimmed = api::decode_trim_response(result.response->body);
    if (!trimmed) {
        throw core::UserError("trim " + args.identifier + ": the answer is not a trim result: " +
                              one_line(result.response->body));
    }
    if (global.json) {
        core::print_json(s.out, nlohmann::json::parse(result.response->body));
        return 0;
    }
    s.out << "removed " << trimmed->removed_records << " records ("
          << core::format_bytes(trimmed->removed_bytes) << ") of " << args.identifier
          << " older than " << core::format_utc(before) << "; " << trimmed->records << " records ("
          << core::format_bytes(trimmed->bytes) << ") left\n";
    return 0;
}

int run_delete(const GlobalOptions& global, const RemoteArgs& args, Streams s) {
    check_identifier(args.identifier);
    auto headers = admin_headers(global);
    auto http = make_pcd_client(global);
    auto result =
        http->post(api::machine_delete_path(args.identifier), "", "application/json", headers);
    if (!result.has_response() || result.status() != 200) {
        throw core::UserError("delete " + args.identifier + ": " + describe_failure(result));
    }
    auto deleted = api::decode_delete_response(result.response->body);
    if (!deleted) {
        throw core::UserError(
            "delete " + args.identifier +
            ": the answer is not a delete result: " + one_line(result.response->body));
    }
    if (global.json) {
        core::print_json(s.out, nlohmann::json::parse(result.response->body));
        return 0;
    }
    s.out << "deleted " << args.identifier << " (" << deleted->records << " records, "
          << core::format_bytes(deleted->bytes) << ") from " << http->base().to_string() << '\n';
    return 0;
}

// Fetched bytes go to a temp file first: beside the -o target (renamed over it when the
// download is complete) or in $TMPDIR for stdout (copied out when complete). Nothing partial is
// ever presented as a collection. Error bodies never reach it: the streaming client keeps a
// non-2xx answer's body in the response.
class FetchSink {
public:
    explicit FetchSink(const std::string& output) {
        if (!output.empty() && output != "-") {
            output_ = output;
            temp_ = output_.string() + ".part";
        } else {
            temp_ =
                fs::temp_directory_path() / ("pcctl-fetch-" + std::to_string(::getpid()) + ".part");
        }
        file_.open(temp_, std::ios::binary | std::ios::trunc);
        if (!file_) {
            throw core::UserError("cannot write " + temp_.string() + ": " +
                                  core::errno_text(errno) +
                                  (output_.empty() ? "; set TMPDIR" : "; check -o"));
        }
    }
    ~FetchSink() {
        if (!committed_) {
            std::error_code ec;
            fs::remove(temp_, ec);
        }
    }
    FetchSink(const FetchSink&) = delete;
    FetchSink& operator=(const FetchSink&) = delete;

    bool write(std::string_view data) {
        bytes_ += data.size();
        for (char c : data) records_ += c == '\n';
        if (!data.empty()) last_ = data.back();
        file_.write(data.data(), static_cast<std::streamsize>(data.size()));
        return static_cast<bool>(file_);
    }
    // The download ended well: every line complete; the file moved in place or copied out.
    void commit(std::ostream& out) {
        if (bytes_ > 0 && last_ != '\n') {
            throw core::UserError(
                "the download ended in the middle of a line; nothing was written");
        }
        file_.flush();
        if (!file_)
            throw core::UserError("cannot write " + temp_.string() + ": " +
                                  core::errno_text(errno));
        file_.close();
        if (!output_.empty()) {
            fs::rename(temp_, output_);
            committed_ = true;
            return;
        }
        std::ifstream in(temp_, std::ios::binary);
        out << in.rdbuf();
        out.flush();
        if (!out) throw core::UserError("cannot write the collection to stdout");
    }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t records() const { return records_; }
    bool to_file() const { return !output_.empty(); }
    const fs::path& path() const { return output_; }

private:
    fs::path output_;  // empty: stdout
    fs::path temp_;
    std::ofstream file_;
    bool committed_ = false;
    std::uint64_t bytes_ = 0;
    std::uint64_t records_ = 0;
    char last_ = '\n';
};

int run_fetch(const GlobalOptions& global, const RemoteArgs& args, Streams s) {
    if (!record::valid_identifier(args.identifier)) {
        throw core::UsageError("invalid machine identifier \"" + args.identifier +
                               "\" (letters, digits, '.', '_', '-'; see pcctl machines)");
    }
    auto headers = admin_headers(global);
    std::string route = api::machine_collection_path(args.identifier);
    std::int64_t now = unix_now();
    std::string query;
    std::optional<std::int64_t> since, until;
    if (!args.since.empty()) since = parse_time_argument(args.since, "--since", now);
    if (!args.until.empty()) until = parse_time_argument(args.until, "--until", now);
    if (since && until && *since > *until) throw core::UsageError("--since is after --until");
    if (since) query += "since=" + std::to_string(*since);
    if (until) query += std::string(query.empty() ? "" : "&") + "until=" + std::to_string(*until);
    if (!query.empty()) route += "?" + query;

    auto http = make_pcd_client(global);
    FetchSink sink(args.output);
    auto result = http->get_streaming(route, headers,
                                      [&](std::string_view data) { return sink.write(data); });
    if (!result.has_response()) {
        throw core::UserError("fetch " + args.identifier + ": " + describe_failure(result) +
                              (sink.bytes() > 0 ? " (after " + std::to_string(sink.bytes()) +
                                                      " bytes; nothing was written)"
                                                : ""));
    }
    if (result.status() != 200) {
        throw core::UserError("fetch " + args.identifier + ": " + describe_failure(result));
    }
    sink.commit(s.out);
    if (global.json && sink.to_file()) {
        core::print_json(s.out,
                         {{"identifier", args.identifier},
                          {"file", sink.path().string()},
                          {"bytes", sink.bytes()},
                          {"records", sink.records()},
                          {"since", since ? nlohmann::json(*since) : nlohmann::json(nullptr)},
                          {"until", until ? nlohmann::json(*until) : nlohmann::json(nullptr)}});
    } else if (sink.to_file()) {
        s.out << "fetched " << sink.records() << " records (" << core::format_bytes(sink.bytes())
              << ") of " << args.identifier << " to " << sink.path().string()
              << "; process it with: PCR_COLLECTION=" << sink.path().string()
              << " PCR_OUTDIR=<dir> pcprocess\n";
    } else {
        s.err << "fetched " << sink.records() << " records (" << core::format_bytes(sink.bytes())
              << ") of " << args.identifier << '\n';
    }
    return 0;
}

}  // namespace

void register_remote_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<RemoteArgs>();

    auto* ping =
        root.add_subcommand("ping", "Round-trip time to pcd: POST /v1/ping {\"timestamp\":now}");
    ping->add_option("-c,--count", args->count, "Pings to send (no env var)")
        ->capture_default_str();
    ping->add_option("--interval", args->interval, "Pause between pings, Go duration (no env var)")
        ->capture_default_str();
    actions.add(ping, [args, &global](Streams s) { return run_ping(global, *args, s); });

    auto* version_cmd =
        root.add_subcommand("version", "Versions of pcctl and of the server (GET /v1/version)");
    actions.add(version_cmd, [&global](Streams s) { return run_version(global, s); });

    auto* health = root.add_subcommand(
        "health", "Server status, version, uptime and counters (GET /health); exit 1 unless ok");
    actions.add(health, [&global](Streams s) { return run_health(global, s); });

    auto* machines = root.add_subcommand(
        "machines",
        "Table of the machines pcd stores: records, size, first/last timestamp, last seen (GET "
        "/v1/machines; needs the admin key); 'machines trim' and 'machines delete' remove "
        "stored data");
    // Leaves first: the table finds the first parsed command, and 'machines' is parsed too.
    auto* trim =
        machines->add_subcommand("trim",
                                 "Remove a machine's stored batches older than --before (POST "
                                 "/v1/machines/<id>/trim; needs the admin key)");
    trim->add_option("identifier", args->identifier, "Machine identifier (see pcctl machines)")
        ->required();
    trim->add_option(
            "--before", args->before,
            "Remove the batches whose records are all older than this: Unix seconds, "
            "RFC 3339, or a duration ago (720h, 30d) (no env var); default: none, required")
        ->required();
    actions.add(trim, [args, &global](Streams s) { return run_trim(global, *args, s); });
    auto* remove = machines->add_subcommand(
        "delete",
        "Delete a machine's stored collection (POST /v1/machines/<id>/delete; needs the admin "
        "key). An agent that sends again starts a new collection");
    remove->add_option("identifier", args->identifier, "Machine identifier (see pcctl machines)")
        ->required();
    actions.add(remove, [args, &global](Streams s) { return run_delete(global, *args, s); });
    actions.add(machines, [&global](Streams s) { return run_machines(global, s); });

    auto* fetch = root.add_subcommand(
        "fetch",
        "Download a machine's stored collection (GET /v1/machines/<id>/collection; needs the "
        "admin key). The output is a collection pcprocess reads as is");
    fetch->add_option("identifier", args->identifier, "Machine identifier (see pcctl machines)")
        ->required();
    fetch->add_option("--since", args->since,
                      "Only records at or after this time: Unix seconds, RFC 3339, or a "
                      "duration ago (2h) (no env var); default: from the first record");
    fetch->add_option(
        "--until", args->until,
        "Only records at or before this time, same forms (no env var); default: up to "
        "the last record");
    fetch->add_option("-o,--output", args->output,
                      "Write to this file, replaced only when the download is complete (no env "
                      "var); default: stdout");
    actions.add(fetch, [args, &global](Streams s) { return run_fetch(global, *args, s); });
}

}  // namespace pc::ctl
