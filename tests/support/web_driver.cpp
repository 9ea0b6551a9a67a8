#include "web_driver.hpp"

#include <httplib.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace pc::test {

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kChromedriver = "/usr/bin/chromedriver";
// The W3C name of an element reference in JSON.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

}  // namespace

std::optional<std::string> browser_missing() {
    for (const char* path : {kChromium, kChromedriver}) {
        if (::access(path, X_OK) != 0) {
            return std::string(path) +
                   " is not installed: browser tests need Debian's chromium and chromium-driver "
                   "(apt-get install chromium chromium-driver; scripts/setup installs them)";
        }
    }
    return std::nullopt;
}

std::filesystem::path screenshot_dir() {
    std::filesystem::path dir = std::filesystem::path(PC_BINARY_DIR) / "test-logs";
    std::filesystem::create_directories(dir);
    return dir;
}

std::string base64_decode(const std::string& text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (char c : text) {
        const int v = value(c);
        if (v < 0) continue;  // '=' padding, line breaks
        bits = (bits << 6) | static_cast<unsigned>(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return out;
}

WebDriver::WebDriver(int width, int height) : width_(width) {
    if (auto missing = browser_missing()) throw std::runtime_error(*missing);
    port_ = pick_free_port();
    driver_ = std::make_unique<Child>(std::vector<std::string>{
        kChromedriver, "--port=" + std::to_string(port_), "--allowed-ips=127.0.0.1"});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    bool ready = false;
    while (!ready) {
        httplib::Client cli("127.0.0.1", port_);
        cli.set_connection_timeout(std::chrono::seconds(1));
        if (auto res = cli.Get("/status"); res && res->status == 200) {
            auto body = nlohmann::json::parse(res->body, nullptr, false);
            ready = !body.is_discarded() && body["value"].value("ready", false);
        }
        if (ready) break;
        if (!driver_->running()) {
            throw std::runtime_error("chromedriver exited at start: " + driver_->err_so_far());
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("chromedriver did not become ready in 30 s: " +
                                     driver_->err_so_far());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    nlohmann::json args = {"--headless=new",
                           "--disable-gpu",
                           "--disable-dev-shm-usage",
                           "--no-first-run",
                           "--no-default-browser-check",
                           "--disable-background-networking",
                           "--disable-extensions",
                           "--user-data-dir=" + profile_.path().string(),
                           "--window-size=" + std::to_string(width) + "," + std::to_string(height)};
    if (::geteuid() == 0) args.push_back("--no-sandbox");  // Chromium refuses root otherwise
    nlohmann::json caps = {{"browserName", "chrome"},
                           {"goog:chromeOptions", {{"binary", kChromium}, {"args", args}}},
                           {"goog:loggingPrefs", {{"browser", "ALL"}, {"performance", "ALL"}}}};
    auto value = command("POST", "/session", {{"capabilities", {{"alwaysMatch", caps}}}});
    session_ = value.value("sessionId", "");
    if (session_.empty()) throw std::runtime_error("chromedriver gave no session: " + value.dump());
}

WebDriver::~WebDriver() {
    if (!session_.empty()) {
        try {
            command("DELETE", "/session/" + session_);
        } catch (const std::exception&) {
            // The driver is killed below either way; Chromium goes with its session.
        }
    }
    if (driver_) {
        driver_->signal(SIGTERM);
        driver_->wait(std::chrono::seconds(10));
    }
}

nlohmann::json WebDriver::command(const std::string& method, const std::string& path,
                                  const nlohmann::json& body) {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_connection_timeout(std::chrono::seconds(5));
    cli.set_read_timeout(std::chrono::seconds(120));
    cli.set_write_timeout(std::chrono::seconds(30));
    const std::string payload = body.is_null() ? "{}" : body.dump();
    httplib::Result res = method == "GET"      ? cli.Get(path)
                          : method == "DELETE" ? cli.Delete(path)
                                               : cli.Post(path, payload, "application/json");
    if (!res) {
        throw std::runtime_error("WebDriver " + method + " " + path + ": " +
                                 httplib::to_string(res.error()));
    }
    auto json = nlohmann::json::parse(res->body, nullptr, false);
    if (json.is_discarded()) {
        throw std::runtime_error("WebDriver " + method + " " + path + ": not JSON: " + res->body);
    }
    nlohmann::json value = json.contains("value") ? json["value"] : nlohmann::json();
    if (res->status != 200) {
        std::string message = value.is_object() ? value.value("message", value.dump()) : res->body;
        throw std::runtime_error("WebDriver " + method + " " + path + " (" +
                                 std::to_string(res->status) + "): " + message);
    }
    return value;
}

void WebDriver::navigate(const std::string& url) {
    command("POST", "/session/" + session_ + "/url", {{"url", url}});
}

std::string WebDriver::current_url() {
    return command("GET", "/session/" + session_ + "/url").get<std::string>();
}

nlohmann::json WebDriver::execute(const std::string& script, const nlohmann::json& args) {
    return command("POST", "/session/" + session_ + "/execute/sync",
                   {{"script", script}, {"args", args}});
}

bool WebDriver::wait_for(const std::string& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto v = execute("return !!(" + condition + ");");
        if (v.is_boolean() && v.get<bool>()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string WebDriver::find_element(const std::string& css) {
    auto v = command("POST", "/session/" + session_ + "/element",
                     {{"using", "css selector"}, {"value", css}});
    return v.at(kElementKey).get<std::string>();
}

std::string WebDriver::element_text(const std::string& element) {
    return command("GET", "/session/" + session_ + "/element/" + element + "/text")
        .get<std::string>();
}

void WebDriver::send_keys(const std::string& element, const std::string& text) {
    command("POST", "/session/" + session_ + "/element/" + element + "/value", {{"text", text}});
}

void WebDriver::click(const std::string& element) {
    command("POST", "/session/" + session_ + "/element/" + element + "/click",
            nlohmann::json::object());
}

void WebDriver::screenshot(const std::filesystem::path& png, int max_height) {
    auto h = execute("return Math.ceil(document.documentElement.scrollHeight);");
    int height = h.is_number() ? h.get<int>() : 1000;
    height = std::max(200, std::min(height, max_height));
    command("POST", "/session/" + session_ + "/window/rect",
            {{"width", width_}, {"height", height}});
    auto data = command("GET", "/session/" + session_ + "/screenshot").get<std::string>();
    std::ofstream out(png, std::ios::binary | std::ios::trunc);
    const std::string bytes = base64_decode(data);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + png.string());
}

nlohmann::json WebDriver::log(const std::string& type) {
    return command("POST", "/session/" + session_ + "/se/log", {{"type", type}});
}

std::vector<BrowserLogEntry> WebDriver::console_log() {
    std::vector<BrowserLogEntry> out;
    for (const auto& e : log("browser")) {
        out.push_back({e.value("level", ""), e.value("message", "")});
    }
    return out;
}

std::vector<NetworkRequest> WebDriver::network_requests() {
    std::vector<NetworkRequest> out;
    for (const auto& e : log("performance")) {
        auto m = nlohmann::json::parse(e.value("message", ""), nullptr, false);
        if (m.is_discarded()) continue;
        const auto& msg = m["message"];
        if (msg.value("method", "") != "Network.requestWillBeSent") continue;
        const auto& params = msg["params"];
        out.push_back({params["request"].value("url", ""), params.value("documentURL", "")});
    }
    return out;
}

}  // namespace pc::test
