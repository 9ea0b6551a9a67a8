#include "pc/report/pcprocess_report.hpp"

#include "pc/report/report_builder.hpp"

namespace pc::report {

namespace {

class BuilderReport : public process::HtmlReport {
public:
    explicit BuilderReport(ReportOptions options) : builder_(std::move(options)) {}
    void add(const record::Record& record) override { builder_.add(record); }
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
