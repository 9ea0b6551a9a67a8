#include "pc/report/pcprocess_report.hpp"

#include "pc/report/report_builder.hpp"

namespace pc::report {

namespace {

class BuilderReport : public process::HtmlReport {
public:
    explicit BuilderReport(ReportOptions options) : builder_(std::move(options)) {}
    void add(const record::Record& record) override { builder_.add(record); }
    void add_time(std::int64_t timestamp) override { builder_.add_time(timestamp); }
    void add_rows(std::string_view output, std::string_view rows) override {
        builder_.add_rows(output, rows);
    }
    void set_facts(process::RunFacts facts) override { builder_.set_facts(std::move(facts)); }
    std::string html() const override { return builder_.html(); }

private:
    ReportBuilder builder_;
};

}  // namespace

process::HtmlReportFactory pcprocess_report_factory() {
    return [](const process::HtmlReportInfo& info) -> std::unique_ptr<process::HtmlReport> {
        ReportOptions options;
        options.identifier = info.identifier;
        options.generator = info.generator;
        return std::make_unique<BuilderReport>(std::move(options));
    };
}

}  // namespace pc::report
