// pcd's /metrics text as a Prometheus scraper reads it: one HELP and TYPE per family, the
// series of the counters, the histogram's buckets, and per-machine series built from the
// machines given at each scrape.
#include "pc/server/metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "pc/core/version.hpp"

namespace {

using pc::store::MachineSummary;

// Each sample line ("name{labels} value") → its value, and each family's TYPE.
struct Parsed {
    std::map<std::string, std::string> samples;
    std::map<std::string, std::string> types;
    int help_lines = 0;
};

Parsed parse(const std::string& text) {
    Parsed p;
    std::istringstream in(text);
    std::string line;
    const std::regex type(R"(# TYPE (\S+) (counter|gauge|histogram))");
    const std::regex sample(R"((\S+(?:\{.*\})?) (\S+))");
    std::smatch m;
    while (std::getline(in, line)) {
        if (line.starts_with("# HELP ")) {
            ++p.help_lines;
        } else if (std::regex_match(line, m, type)) {
            EXPECT_EQ(p.types.count(m[1]), 0u) << "family twice: " << line;
            p.types[m[1]] = m[2];
        } else if (std::regex_match(line, m, sample)) {
            EXPECT_EQ(p.samples.count(m[1]), 0u) << "series twice: " << line;
            p.samples[m[1]] = m[2];
        } else {
            ADD_FAILURE() << "not a line of the text format: " << line;
        }
    }
    return p;
}

MachineSummary machine(std::string id, std::uint64_t records, std::int64_t last_seen) {
    MachineSummary m;
    m.identifier = std::move(id);
    m.records = records;
    m.bytes = records * 100;
    m.first_timestamp = records ? 1700000000 : 0;
    m.last_timestamp = records ? 1700000000 + static_cast<std::int64_t>(records) : 0;
    m.last_seen = last_seen;
    return m;
}

TEST(Metrics, CountersHistogramAndProcessGauges) {
    pc::server::Metrics metrics;
    metrics.count_request("/v1/trickle", 200);
    metrics.count_request("/v1/trickle", 200);
    metrics.count_request("/v1/trickle", 429);
    metrics.count_request("/metrics", 200);
    metrics.count_rejected("rate_limit");
    metrics.count_stored(5, 4096, 0.003);
    metrics.count_stored(7, 1000, 2.0);
    metrics.count_duplicate();
    auto p = parse(metrics.prometheus_text({}));

    EXPECT_EQ(p.samples["pcd_requests_total{route=\"/v1/trickle\",status=\"200\"}"], "2");
    EXPECT_EQ(p.samples["pcd_requests_total{route=\"/v1/trickle\",status=\"429\"}"], "1");
    EXPECT_EQ(p.samples["pcd_requests_total{route=\"/metrics\",status=\"200\"}"], "1");
    EXPECT_EQ(p.samples["pcd_rejected_requests_total{reason=\"rate_limit\"}"], "1");
    EXPECT_EQ(p.samples["pcd_batches_stored_total"], "2");
    EXPECT_EQ(p.samples["pcd_duplicate_batches_total"], "1");
    EXPECT_EQ(p.samples["pcd_records_stored_total"], "12");
    EXPECT_EQ(p.samples["pcd_bytes_stored_total"], "5096");
    // Cumulative buckets: 0.003 s falls in le=0.005 and above, 2 s only in +Inf.
    EXPECT_EQ(p.samples["pcd_store_latency_seconds_bucket{le=\"0.0025\"}"], "0");
    EXPECT_EQ(p.samples["pcd_store_latency_seconds_bucket{le=\"0.005\"}"], "1");
    EXPECT_EQ(p.samples["pcd_store_latency_seconds_bucket{le=\"1\"}"], "1");
    EXPECT_EQ(p.samples["pcd_store_latency_seconds_bucket{le=\"+Inf\"}"], "2");
    EXPECT_EQ(p.samples["pcd_store_latency_seconds_count"], "2");
    EXPECT_EQ(p.samples["pcd_store_latency_seconds_sum"], "2.003");
    EXPECT_EQ(p.samples["pcd_machines"], "0");
    EXPECT_EQ(p.samples["pcd_build_info{version=\"" + std::string(pc::core::version()) + "\"}"],
              "1");
    EXPECT_TRUE(p.samples.count("pcd_uptime_seconds"));

    EXPECT_EQ(p.types["pcd_requests_total"], "counter");
    EXPECT_EQ(p.types["pcd_store_latency_seconds"], "histogram");
    EXPECT_EQ(p.types["pcd_machines"], "gauge");
    EXPECT_EQ(p.types["pcd_machine_records"], "gauge") << "a family without series keeps its TYPE";
    EXPECT_EQ(p.help_lines, static_cast<int>(p.types.size()));

    auto health = metrics.health(3);
    EXPECT_EQ(health.requests, 4u);
    EXPECT_EQ(health.rejected, 1u);
    EXPECT_EQ(health.batches_stored, 2u);
    EXPECT_EQ(health.duplicates, 1u);
    EXPECT_EQ(health.records_stored, 12u);
    EXPECT_EQ(health.bytes_stored, 5096u);
    EXPECT_EQ(health.machines, 3u);
}

// The per-machine series are the machines of this scrape: one deleted since is gone, one that
// never sent a batch has no last_seen, an empty one no last record timestamp.
TEST(Metrics, PerMachineSeriesFollowTheStore) {
    pc::server::Metrics metrics;
    std::vector<MachineSummary> machines{machine("alpha", 4, 1767312001), machine("beta", 0, 0),
                                         machine("gamma", 9, 1767312002)};
    auto p = parse(metrics.prometheus_text(machines));
    EXPECT_EQ(p.samples["pcd_machines"], "3");
    EXPECT_EQ(p.samples["pcd_machine_records{machine=\"alpha\"}"], "4");
    EXPECT_EQ(p.samples["pcd_machine_bytes{machine=\"alpha\"}"], "400");
    EXPECT_EQ(p.samples["pcd_machine_last_seen_timestamp_seconds{machine=\"alpha\"}"],
              "1767312001");
    EXPECT_EQ(p.samples["pcd_machine_last_record_timestamp_seconds{machine=\"gamma\"}"],
              "1700000009");
    EXPECT_EQ(p.samples["pcd_machine_records{machine=\"beta\"}"], "0");
    EXPECT_FALSE(p.samples.count("pcd_machine_last_seen_timestamp_seconds{machine=\"beta\"}"));
    EXPECT_FALSE(p.samples.count("pcd_machine_last_record_timestamp_seconds{machine=\"beta\"}"));

    machines.erase(machines.begin());  // alpha deleted
    p = parse(metrics.prometheus_text(machines));
    EXPECT_EQ(p.samples["pcd_machines"], "2");
    for (const auto& [series, value] : p.samples) {
        EXPECT_EQ(series.find("alpha"), std::string::npos) << series << " " << value;
    }
    EXPECT_EQ(p.samples["pcd_machine_records{machine=\"gamma\"}"], "9");
}

// Whatever an identifier holds, the text stays parseable.
TEST(Metrics, LabelValuesAreEscaped) {
    pc::server::Metrics metrics;
    auto text = metrics.prometheus_text({machine("a\"b\\c\nd", 1, 1)});
    EXPECT_NE(text.find("pcd_machine_records{machine=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos)
        << text;
    parse(text);
}

// Large values stay exact: a counter or gauge is a double, exact below 2^53.
TEST(Metrics, LargeValuesAreExact) {
    pc::server::Metrics metrics;
    metrics.count_stored(1, 4'000'000'000'000, 0.001);
    auto m = machine("big", 1, 1);
    m.bytes = 123'456'789'012'345;
    auto p = parse(metrics.prometheus_text({m}));
    EXPECT_EQ(p.samples["pcd_bytes_stored_total"], "4000000000000");
    EXPECT_EQ(p.samples["pcd_machine_bytes{machine=\"big\"}"], "123456789012345");
    EXPECT_EQ(metrics.health(1).bytes_stored, 4'000'000'000'000u);
}

}  // namespace
