// A small W3C WebDriver client for browser tests: Debian's chromedriver driving headless
// Chromium (packages chromium and chromium-driver, installed by scripts/setup). One WebDriver
// is one chromedriver process on a free 127.0.0.1 port and one browser session with a fresh
// profile; the destructor ends the session and the driver. Tests that need it call
// browser_missing() first and skip with its message when the browser is not installed.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace pc::test {

// Why browser tests cannot run here ("chromium is not installed: ..."), or nullopt when they can.
std::optional<std::string> browser_missing();

// Where browser tests leave their screenshots: <build>/test-logs (created when missing).
std::filesystem::path screenshot_dir();

struct BrowserLogEntry {
    std::string level;    // "SEVERE", "WARNING", "INFO", ...
    std::string message;  // as Chromium reports it (source URL, line, text)
};

struct NetworkRequest {
    std::string url;           // what was asked for
    std::string document_url;  // the page that asked (the browser's own pages too: chrome://)
};

class WebDriver {
public:
    // Starts chromedriver and a headless session with a `width` × `height` window. Throws
    // std::runtime_error naming what failed (the driver's own message included).
    explicit WebDriver(int width = 1280, int height = 1000);
    ~WebDriver();
    WebDriver(const WebDriver&) = delete;
    WebDriver& operator=(const WebDriver&) = delete;

    // Loads `url` (file://... or http://127.0.0.1:...) and waits until the page has loaded.
    void navigate(const std::string& url);
    std::string current_url();
    // Runs `script` as a function body in the page (use `return ...`; `arguments` are `args`)
    // and gives what it returns.
    nlohmann::json execute(const std::string& script,
                           const nlohmann::json& args = nlohmann::json::array());
    // Polls the JavaScript expression `condition` until it is truthy or `timeout` passes.
    bool wait_for(const std::string& condition,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // The WebDriver id of the first element matching the CSS selector; throws when none.
    std::string find_element(const std::string& css);
    std::string element_text(const std::string& element);
    void send_keys(const std::string& element, const std::string& text);
    void click(const std::string& element);
    // A PNG of the whole page (the window is made as tall as the page, up to `max_height`).
    void screenshot(const std::filesystem::path& png, int max_height = 12000);
    // Console messages and uncaught errors since the last call (goog:loggingPrefs browser).
    std::vector<BrowserLogEntry> console_log();
    // Requests since the last call (Network.requestWillBeSent in the performance log), the
    // navigations included. The browser's own start page makes some too (chrome://...): look
    // at those whose document_url is the page under test.
    std::vector<NetworkRequest> network_requests();

private:
    nlohmann::json command(const std::string& method, const std::string& path,
                           const nlohmann::json& body = nullptr);
    nlohmann::json log(const std::string& type);

    TempDir profile_;
    int port_ = 0;
    std::unique_ptr<Child> driver_;
    std::string session_;
    int width_ = 1280;
};

// Decodes standard base64 (what WebDriver's screenshot gives).
std::string base64_decode(const std::string& text);

}  // namespace pc::test
