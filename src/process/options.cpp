#include "pc/process/options.hpp"

#include "pc/core/error.hpp"

namespace pc::process {

namespace {

std::string example(std::string_view name, std::string_view value) {
    return std::string(name) + (name.substr(0, 2) == "--" ? " " : "=") + std::string(value);
}

}  // namespace

Mode parse_mode(std::string_view value, std::string_view name) {
    if (value.empty() || value == "none") return Mode::standard;
    if (value == "perfcollector2") return Mode::compat;
    throw core::UsageError(std::string(name) + ": unknown compat mode '" + std::string(value) +
                           "'; use " + example(name, "perfcollector2") + " or leave it unset");
}

Formats parse_formats(std::string_view value, std::string_view name) {
    Formats f{false, false, false};
    std::size_t pos = 0;
    while (pos <= value.size()) {
        std::size_t comma = value.find(',', pos);
        if (comma == std::string_view::npos) comma = value.size();
        std::string_view item = value.substr(pos, comma - pos);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == "sar") {
            f.sar = true;
        } else if (item == "wide") {
            f.wide = true;
        } else if (item == "html") {
            f.html = true;
        } else if (!item.empty()) {
            throw core::UsageError(std::string(name) + ": unknown output format '" +
                                   std::string(item) +
                                   "'; use a comma-separated list of sar, wide, html, e.g. " +
                                   example(name, "sar,wide"));
        }
        pos = comma + 1;
    }
    if (!f.sar && !f.wide && !f.html) {
        throw core::UsageError(std::string(name) +
                               ": no output format selected; use sar, wide, html or " +
                               example(name, "sar,wide"));
    }
    return f;
}

std::string machine_id_from_path(std::string_view collection) {
    if (collection == "-") return "stdin";
    std::string name = std::filesystem::path(collection).filename().string();
    for (std::string_view ext : {".gz", ".json", ".jsonl"}) {
        if (name.size() > ext.size() && name.ends_with(ext)) name.resize(name.size() - ext.size());
    }
    return name;
}

}  // namespace pc::process
