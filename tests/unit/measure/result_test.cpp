#include "pc/measure/result.hpp"

#include <gtest/gtest.h>

#include "pc/measure/result_format.hpp"

namespace {

using pc::measure::MeasureResult;

MeasureResult sample() {
    MeasureResult r;
    r.hostname = "web-01";
    r.timestamp = 1767800000;
    r.num_cores = 4;
    r.results = {{10, 100, 0.4}, {50, 501, 2.0}, {100, 1000, 4.0}};
    pc::measure::summarize(r);
    return r;
}

TEST(MeasureResult, Arithmetic) {
    auto r = sample();
    EXPECT_EQ(r.max_units, 1000u);
    EXPECT_EQ(r.avg_units, 534u);  // 1601 / 3 = 533.67, rounded
    // 1000 units in 4 busy core-seconds on 4 cores: 1 s of machine time.
    EXPECT_DOUBLE_EQ(r.units_per_sec, 1000.0);
}

TEST(MeasureResult, UnitsPerSecondComesFromTheHighestLevelWhen100IsMissing) {
    MeasureResult r;
    r.num_cores = 2;
    r.results = {{20, 80, 0.4}, {40, 150, 0.75}};
    pc::measure::summarize(r);
    EXPECT_DOUBLE_EQ(r.units_per_sec, 400.0);  // 150 / (0.75 / 2)
    EXPECT_EQ(r.max_units, 150u);
    EXPECT_EQ(r.avg_units, 115u);
}

TEST(MeasureResult, EmptyAndIdleResultsGiveZeros) {
    MeasureResult r;
    r.num_cores = 2;
    pc::measure::summarize(r);
    EXPECT_EQ(r.max_units, 0u);
    EXPECT_EQ(r.units_per_sec, 0);
    r.results = {{100, 0, 0}};
    pc::measure::summarize(r);
    EXPECT_EQ(r.units_per_sec, 0);
}

TEST(MeasureFormat, JsonHasTheOriginalsFieldsInOrder) {
    auto text = pc::measure::encode_json(sample());
    EXPECT_EQ(text,
              "{\"hostname\":\"web-01\",\"timestamp\":1767800000,\"numCores\":4,\"results\":["
              "{\"busyPct\":10,\"workUnits\":100},{\"busyPct\":50,\"workUnits\":501},"
              "{\"busyPct\":100,\"workUnits\":1000}],\"maxUnits\":1000,\"avgUnits\":534,"
              "\"unitsPerSec\":1000.0}");
    auto back = pc::measure::decode_json(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->hostname, "web-01");
    EXPECT_EQ(back->results.size(), 3u);
    EXPECT_EQ(back->results[1].work_units, 501u);
    EXPECT_EQ(back->avg_units, 534u);
    EXPECT_TRUE(back->error.empty());
}

TEST(MeasureFormat, JsonCarriesTheErrorAndIndentsOnRequest) {
    auto r = sample();
    r.error = "stopped";
    auto text = pc::measure::encode_json(r, true);
    EXPECT_NE(text.find("\n  \"numCores\": 4,"), std::string::npos) << text;
    EXPECT_NE(text.find("\"error\": \"stopped\""), std::string::npos) << text;
    auto back = pc::measure::decode_json(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->error, "stopped");
    EXPECT_EQ(pc::measure::encode(sample(), pc::measure::Format::json).back(), '\n');
}

TEST(MeasureFormat, DecodeRefusesWhatIsNotAResult) {
    for (const char* bad :
         {"", "[]", "{}", "{\"error\":\"x\"}",
          "{\"hostname\":1,\"timestamp\":1,\"numCores\":1,\"results\":[],\"maxUnits\":0,"
          "\"avgUnits\":0,\"unitsPerSec\":0}",
          "{\"hostname\":\"h\",\"timestamp\":1,\"numCores\":1,\"results\":[{\"busyPct\":10}],"
          "\"maxUnits\":0,\"avgUnits\":0,\"unitsPerSec\":0}"}) {
        EXPECT_FALSE(pc::measure::decode_json(bad)) << bad;
    }
}

TEST(MeasureFormat, CsvHasAHeaderAndARowPerLevel) {
    EXPECT_EQ(pc::measure::encode_csv(sample()),
              "hostname,timestamp,numCores,busyPct,workUnits\n"
              "web-01,1767800000,4,10,100\n"
              "web-01,1767800000,4,50,501\n"
              "web-01,1767800000,4,100,1000\n");
    auto r = sample();
    r.hostname = "odd,\"name\"";
    r.results.resize(1);
    EXPECT_EQ(pc::measure::encode_csv(r),
              "hostname,timestamp,numCores,busyPct,workUnits\n"
              "\"odd,\"\"name\"\"\",1767800000,4,10,100\n");
}

TEST(MeasureFormat, JsonlHasALinePerLevel) {
    auto r = sample();
    r.results.resize(2);
    EXPECT_EQ(pc::measure::encode_jsonl(r),
              "{\"hostname\":\"web-01\",\"timestamp\":1767800000,\"numCores\":4,\"busyPct\":10,"
              "\"workUnits\":100}\n"
              "{\"hostname\":\"web-01\",\"timestamp\":1767800000,\"numCores\":4,\"busyPct\":50,"
              "\"workUnits\":501}\n");
}

TEST(MeasureFormat, FormatNames) {
    EXPECT_EQ(pc::measure::parse_format("json"), pc::measure::Format::json);
    EXPECT_EQ(pc::measure::parse_format("csv"), pc::measure::Format::csv);
    EXPECT_EQ(pc::measure::parse_format("jsonl"), pc::measure::Format::jsonl);
    EXPECT_FALSE(pc::measure::parse_format("JSON"));
    EXPECT_FALSE(pc::measure::parse_format("xml"));
}

}  // namespace
