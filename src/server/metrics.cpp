#include "pc/server/metrics.hpp"

#include <fmt/format.h>

#include "pc/api/trickle.hpp"
#include "pc/core/version.hpp"

namespace pc::server {

Metrics::Metrics() : started_(std::chrono::steady_clock::now()) {}

void Metrics::count_request(std::string_view route, int status) {
    ++requests_total_;
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(route), status}];
}

void Metrics::count_rejected(std::string_view reason) {
    ++rejected_total_;
    std::lock_guard lock(mutex_);
    ++rejected_[std::string(reason)];
}

void Metrics::count_stored(std::uint64_t records, std::uint64_t bytes, double store_seconds) {
    ++batches_;
    records_ += records;
    bytes_ += bytes;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (store_seconds <= kBuckets[i]) ++latency_buckets_[i];
    }
    ++latency_count_;
    latency_sum_ += store_seconds;
}

void Metrics::count_duplicate() {
    ++duplicates_;
}

std::int64_t Metrics::uptime_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            started_)
        .count();
}

namespace {

// A label value as the text format wants it (identifiers are plain already; this keeps the
// output parseable whatever they hold).
std::string label_value(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string Metrics::prometheus_text(const std::vector<store::MachineSummary>& machines) const {
    std::string out;
    auto add = [&](std::string_view name, std::string_view type, std::string_view help) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    };
    std::lock_guard lock(mutex_);
    add("pcd_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [key, n] : requests_) {
        out += fmt::format("pcd_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                           key.second, n);
    }
    add("pcd_rejected_requests_total", "counter", "Trickle requests refused, by reason.");
    for (const auto& [reason, n] : rejected_) {
        out += fmt::format("pcd_rejected_requests_total{{reason=\"{}\"}} {}\n", reason, n);
    }
    add("pcd_batches_stored_total", "counter", "Trickle batches durably stored.");
    out += fmt::format("pcd_batches_stored_total {}\n", batches_.load());
    add("pcd_duplicate_batches_total", "counter",
        "Resent batches recognised by batch_id and not stored again.");
    out += fmt::format("pcd_duplicate_batches_total {}\n", duplicates_.load());
    add("pcd_records_stored_total", "counter", "Records durably stored.");
    out += fmt::format("pcd_records_stored_total {}\n", records_.load());
    add("pcd_bytes_stored_total", "counter", "Bytes appended to collection files.");
    out += fmt::format("pcd_bytes_stored_total {}\n", bytes_.load());
    add("pcd_store_latency_seconds", "histogram",
        "Time from a batch being queued to it being durable (fdatasync done).");
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        out += fmt::format("pcd_store_latency_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i],
                           latency_buckets_[i]);
    }
    out += fmt::format("pcd_store_latency_seconds_bucket{{le=\"+Inf\"}} {}\n", latency_count_);
    out += fmt::format("pcd_store_latency_seconds_sum {}\n", latency_sum_);
    out += fmt::format("pcd_store_latency_seconds_count {}\n", latency_count_);
    add("pcd_machines", "gauge", "Machines with a collection in the data directory.");
    out += fmt::format("pcd_machines {}\n", machines.size());
    add("pcd_machine_last_seen_timestamp_seconds", "gauge",
        "Unix time pcd last stored a batch from the machine (pcd's clock; kept across "
        "restarts). Absent for a machine that never sent one.");
    for (const auto& m : machines) {
        if (m.last_seen == 0) continue;
        out += fmt::format("pcd_machine_last_seen_timestamp_seconds{{machine=\"{}\"}} {}\n",
                           label_value(m.identifier), m.last_seen);
    }
    add("pcd_machine_last_record_timestamp_seconds", "gauge",
        "Timestamp of the machine's newest stored record (the agent's clock).");
    for (const auto& m : machines) {
        if (m.records == 0) continue;
        out += fmt::format("pcd_machine_last_record_timestamp_seconds{{machine=\"{}\"}} {}\n",
                           label_value(m.identifier), m.last_timestamp);
    }
    add("pcd_machine_records", "gauge", "Records stored for the machine.");
    for (const auto& m : machines) {
        out += fmt::format("pcd_machine_records{{machine=\"{}\"}} {}\n", label_value(m.identifier),
                           m.records);
    }
    add("pcd_machine_bytes", "gauge", "Size of the machine's stored collection in bytes.");
    for (const auto& m : machines) {
        out += fmt::format("pcd_machine_bytes{{machine=\"{}\"}} {}\n", label_value(m.identifier),
                           m.bytes);
    }
    add("pcd_uptime_seconds", "gauge", "Seconds since pcd started.");
    out += fmt::format("pcd_uptime_seconds {}\n", uptime_seconds());
    add("pcd_build_info", "gauge", "Always 1; the version label says which build runs.");
    out += fmt::format("pcd_build_info{{version=\"{}\"}} 1\n", core::version());
    return out;
}

api::Health Metrics::health(std::uint64_t machines) const {
    api::Health h;
    h.status = "ok";
    h.version = std::string(core::version());
    h.uptime_seconds = uptime_seconds();
    h.requests = requests_total_.load();
    h.rejected = rejected_total_.load();
    h.batches_stored = batches_.load();
    h.duplicates = duplicates_.load();
    h.records_stored = records_.load();
    h.bytes_stored = bytes_.load();
    h.machines = machines;
    return h;
}

std::string_view route_label(std::string_view path) {
    for (auto route : {api::kRoutePing, api::kRouteTrickle, api::kRouteVersion, api::kRouteMachines,
                       api::kRouteHealth, api::kRouteMetrics, api::kRouteLoadTest}) {
        if (path == route) return route;
    }
    if (path.starts_with(api::kRouteMachines) && path.ends_with("/collection")) {
        return "/v1/machines/{id}/collection";
    }
    if (path.starts_with(api::kRouteMachines) && path.ends_with("/trim")) {
        return "/v1/machines/{id}/trim";
    }
    if (path.starts_with(api::kRouteMachines) && path.ends_with("/delete")) {
        return "/v1/machines/{id}/delete";
    }
    return "other";
}

}  // namespace pc::server
