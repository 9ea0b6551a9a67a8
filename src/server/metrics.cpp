#include "pc/server/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>
#include <utility>

#include "pc/api/trickle.hpp"
#include "pc/core/version.hpp"

namespace pc::server {

namespace {

using prometheus::BuildCounter;
using prometheus::Counter;
using prometheus::Family;

Family<Counter>& counter_family(prometheus::Registry& registry, const std::string& name,
                                const std::string& help) {
    return BuildCounter().Name(name).Help(help).Register(registry);
}

// A family whose series are made at scrape time from what the store knows then.
prometheus::MetricFamily gauge_family(std::string name, std::string help) {
    return {std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

void add_gauge(prometheus::MetricFamily& family, double value,
               std::vector<prometheus::ClientMetric::Label> labels = {}) {
    prometheus::ClientMetric metric;
    metric.label = std::move(labels);
    metric.gauge.value = value;
    family.metric.push_back(std::move(metric));
}

// Orders (route, status) keys, and finds one from a string_view without making a string.
struct RouteStatusLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
        return std::pair<std::string_view, int>(a.first, a.second) <
               std::pair<std::string_view, int>(b.first, b.second);
    }
};

}  // namespace

// Counted as requests arrive. The text lists the counters in the order they are registered
// here, then the histogram (prometheus::Registry::Collect goes by type).
struct Metrics::Families {
    prometheus::Registry registry;
    Family<Counter>& requests = counter_family(registry, "pcd_requests_total",
                                               "HTTP requests answered, by route and status.");
    Family<Counter>& rejected = counter_family(registry, "pcd_rejected_requests_total",
                                               "Trickle requests refused, by reason.");
    Counter& batches =
        counter_family(registry, "pcd_batches_stored_total", "Trickle batches durably stored.")
            .Add({});
    Counter& duplicates =
        counter_family(registry, "pcd_duplicate_batches_total",
                       "Resent batches recognised by batch_id and not stored again.")
            .Add({});
    Counter& records =
        counter_family(registry, "pcd_records_stored_total", "Records durably stored.").Add({});
    Counter& bytes =
        counter_family(registry, "pcd_bytes_stored_total", "Bytes appended to collection files.")
            .Add({});
    Counter& store_failures =
        counter_family(registry, "pcd_store_failures_total",
                       "Batches the store could not take (disk or database failing), answered "
                       "503.")
            .Add({});
    prometheus::Histogram& store_latency =
        prometheus::BuildHistogram()
            .Name("pcd_store_latency_seconds")
            .Help("Time from a batch being queued to it being durable (fdatasync done).")
            .Register(registry)
            .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                             0.025, 0.05, 0.1, 0.25, 0.5, 1.0});

    // Each (route, status)'s counter, once made: Family::Add builds and hashes a label map,
    // which made counting a request 7 times slower (docs/performance.md, "pcd /metrics").
    // prometheus-cpp never moves a series it made, and we never remove one.
    Counter& request_counter(std::string_view route, int status) {
        std::lock_guard lock(mutex_);
        auto it = request_counters_.find(std::pair<std::string_view, int>(route, status));
        if (it == request_counters_.end()) {
            auto& counter =
                requests.Add({{"route", std::string(route)}, {"status", std::to_string(status)}});
            it = request_counters_.emplace(std::pair(std::string(route), status), &counter).first;
        }
        return *it->second;
    }

private:
    std::mutex mutex_;
    std::map<std::pair<std::string, int>, Counter*, RouteStatusLess> request_counters_;
};

Metrics::Metrics()
    : started_(std::chrono::steady_clock::now()), families_(std::make_unique<Families>()) {}

Metrics::~Metrics() = default;

void Metrics::count_request(std::string_view route, int status) {
    ++requests_total_;
    families_->request_counter(route, status).Increment();
}

// A refused request costs far more than prometheus-cpp's own label lookup (a few hundred ns).
void Metrics::count_rejected(std::string_view reason) {
    ++rejected_total_;
    families_->rejected.Add({{"reason", std::string(reason)}}).Increment();
}

void Metrics::count_stored(std::uint64_t records, std::uint64_t bytes, double store_seconds) {
    families_->batches.Increment();
    families_->records.Increment(static_cast<double>(records));
    families_->bytes.Increment(static_cast<double>(bytes));
    families_->store_latency.Observe(store_seconds);
}

void Metrics::count_store_failure() {
    families_->store_failures.Increment();
}

void Metrics::count_duplicate() {
    families_->duplicates.Increment();
}

std::int64_t Metrics::uptime_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            started_)
        .count();
}

std::string Metrics::prometheus_text(const std::vector<store::MachineSummary>& machines) const {
    auto families = families_->registry.Collect();
    auto count = gauge_family("pcd_machines", "Machines with a collection in the data directory.");
    add_gauge(count, static_cast<double>(machines.size()));
    families.push_back(std::move(count));

    auto seen = gauge_family("pcd_machine_last_seen_timestamp_seconds",
                             "Unix time pcd last stored a batch from the machine (pcd's clock; "
                             "kept across restarts). Absent for a machine that never sent one.");
    auto newest = gauge_family("pcd_machine_last_record_timestamp_seconds",
                               "Timestamp of the machine's newest stored record (the agent's "
                               "clock).");
    auto records = gauge_family("pcd_machine_records", "Records stored for the machine.");
    auto bytes =
        gauge_family("pcd_machine_bytes", "Size of the machine's stored collection in bytes.");
    for (auto* family : {&seen, &newest, &records, &bytes}) family->metric.reserve(machines.size());
    for (const auto& m : machines) {
        const prometheus::ClientMetric::Label machine{"machine", m.identifier};
        if (m.last_seen != 0) add_gauge(seen, static_cast<double>(m.last_seen), {machine});
        if (m.records != 0) add_gauge(newest, static_cast<double>(m.last_timestamp), {machine});
        add_gauge(records, static_cast<double>(m.records), {machine});
        add_gauge(bytes, static_cast<double>(m.bytes), {machine});
    }
    for (auto* family : {&seen, &newest, &records, &bytes}) families.push_back(std::move(*family));

    auto uptime = gauge_family("pcd_uptime_seconds", "Seconds since pcd started.");
    add_gauge(uptime, static_cast<double>(uptime_seconds()));
    families.push_back(std::move(uptime));
    auto build =
        gauge_family("pcd_build_info", "Always 1; the version label says which build runs.");
    add_gauge(build, 1, {{"version", std::string(core::version())}});
    families.push_back(std::move(build));
    return prometheus::TextSerializer().Serialize(families);
}

api::Health Metrics::health(std::uint64_t machines) const {
    // Counters hold doubles: exact for every count below 2^53.
    auto value = [](const Counter& c) { return static_cast<std::uint64_t>(c.Value()); };
    api::Health h;
    h.status = "ok";
    h.version = std::string(core::version());
    h.uptime_seconds = uptime_seconds();
    h.requests = requests_total_.load();
    h.rejected = rejected_total_.load();
    h.batches_stored = value(families_->batches);
    h.duplicates = value(families_->duplicates);
    h.records_stored = value(families_->records);
    h.bytes_stored = value(families_->bytes);
    h.machines = machines;
    h.store_failures = value(families_->store_failures);
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
    if (path == "/") return "/";
    for (std::string_view route :
         {"/dashboard/signin", "/dashboard/signout", "/dashboard/fleet.json"}) {
        if (path == route) return route;
    }
    if (path.starts_with("/dashboard/machine/")) {
        if (path.ends_with("/collection.json")) return "/dashboard/machine/{id}/collection.json";
        if (path.ends_with("/report.html")) return "/dashboard/machine/{id}/report.html";
        return "/dashboard/machine/{id}";
    }
    return "other";
}

}  // namespace pc::server
