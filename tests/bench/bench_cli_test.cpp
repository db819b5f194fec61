// `pblur bench` run as a user runs it: the built binary, its exit code, its output and files;
// and its reports of outputs that differ from seq's, from benches whose outputs tests corrupt.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "bench_test_runtime.h"
#include "cli/bench_reporter.h"
#include "cli_runner.h"
#include "core/batch/batch_plan.h"
#include "core/bench/folder_bench.h"
#include "core/bench/image_bench.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

const std::set<std::string> kConfigsFor12 = {
    "seq/group:1", "threads/workers:1", "procs-shared/workers:1", "procs-copy/workers:1",
    "seq/group:2", "threads/workers:2", "procs-shared/workers:2", "procs-copy/workers:2"};

// kConfigsFor12 streamed file to file.
std::set<std::string> streamed_configs_for_12() {
  std::set<std::string> names;
  for (const std::string& name : kConfigsFor12) names.insert("streamed/" + name);
  return names;
}

bool matplotlib_available() {
  return std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") == 0;
}

// A report as the command writes it: its error lines (each after "pblur: error: "), its JSON
// and its CSV.
struct WrittenReport {
  std::vector<std::string> errors;
  json document;
  std::string csv;
};

WrittenReport write_reports(const pblur::BenchReport& report) {
  const pblur::cli::BenchRunInfo info{"input", "pblur"};
  std::ostringstream json_text, csv;
  pblur::cli::make_json_reporter()->report(report, info, json_text);
  pblur::cli::make_csv_reporter()->report(report, info, csv);
  return {pblur::cli::bench_error_lines(report), json::parse(json_text.str()), csv.str()};
}

// The options of quick(): worker counts 1 and 2, one timed run, no warm-up; every output of the
// configurations labelled `corrupted` altered.
pblur::BenchOptions quick_corrupting(const std::string& corrupted) {
  pblur::BenchOptions options;
  options.worker_counts = {1, 2};
  options.repeat = 1;
  options.warmup = 0;
  options.corrupt_output = [corrupted](const pblur::BenchConfig& config) {
    return pblur::bench_label(config) == corrupted;
  };
  return options;
}

struct OptionErrorCase {
  std::string args;
  int exit_code;
  std::string message;
};

class BenchCommand : public testing::Test {
 protected:
  void SetUp() override {
    const auto* test = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("pblur_bench_cli_" + std::to_string(getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tmp");
    cv::Mat image(48, 64, CV_8UC3);
    cv::RNG rng(11);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    ASSERT_TRUE(cv::imwrite((dir_ / "in.png").string(), image));
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `pblur ARGS` (words split at spaces) with the environment assignments `env` (e.g.
  // "X=1"), in the test's folder, with TMPDIR pointing at its tmp/ subfolder; its stdout and
  // stderr are left in out.txt and err.txt there.
  Outcome pblur(const std::string& args, const std::string& env = "") {
    Outcome outcome;
    outcome.exit_code = pblur::testing::wait_for_pblur(start(args, env));
    outcome.out = read_file(dir_ / "out.txt");
    outcome.err = read_file(dir_ / "err.txt");
    return outcome;
  }

  // pblur() without waiting.
  pid_t start(const std::string& args, const std::string& env = "") {
    pblur::testing::Launch launch;
    launch.cwd = dir_;
    launch.environment = words_of("TMPDIR=" + (dir_ / "tmp").string() + " " + env);
    return pblur::testing::start_pblur(
        words_of(args), pblur::testing::Output{dir_ / "out.txt", dir_ / "err.txt"}, launch);
  }

  // Five small images in imgs/: PNGs and JPEGs.
  // One line on stderr that says c.message, the expected exit code, nothing on stdout.
  void expect_one_line_error(const OptionErrorCase& c, bool starts_with_error) {
    SCOPED_TRACE(c.args);
    const Outcome run = pblur(c.args);
    EXPECT_EQ(run.exit_code, c.exit_code);
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
    if (starts_with_error) {
      EXPECT_EQ(run.err.rfind("pblur: error: ", 0), 0u) << run.err;
    }
  }

  void make_folder() {
    fs::create_directories(dir_ / "imgs");
    cv::RNG rng(5);
    for (int i = 0; i < 5; ++i) {
      cv::Mat image(48, 64, CV_8UC3);
      rng.fill(image, cv::RNG::UNIFORM, 0, 256);
      const std::string name = "img" + std::to_string(i) + (i % 2 ? ".jpg" : ".png");
      ASSERT_TRUE(cv::imwrite((dir_ / "imgs" / name).string(), image));
    }
  }

  bool temporary_folder_is_empty() const { return fs::is_empty(dir_ / "tmp"); }

  static std::string quick_batch() {
    return "bench --batch imgs --workers 1,2 --repeat 1 --warmup 0 -q ";
  }

  static std::string quick() { return "bench in.png --workers 1,2 --repeat 1 --warmup 0 -q "; }

  fs::path dir_;
};

TEST_F(BenchCommand, JsonAndCsvCarryEveryConfigurationAskedFor) {
  const Outcome run = pblur(quick() + "--json r.json --csv r.csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const json report = json::parse(read_file(dir_ / "r.json"));
  EXPECT_EQ(report["context"]["worker_counts"], json({1, 2}));
  EXPECT_EQ(report["context"]["repetitions"], 1);
  EXPECT_EQ(report["context"]["image"]["width"], 64);
  EXPECT_EQ(report["context"]["image"]["height"], 48);
  EXPECT_EQ(report["context"]["not_streamed"], "");
  std::set<std::string> medians;
  std::map<std::string, int> timed, cold;
  for (const json& entry : report["benchmarks"]) {
    EXPECT_FALSE(entry.contains("error_occurred")) << entry.dump();
    const std::string name = entry["run_name"];
    EXPECT_EQ(entry["pipeline"], name.starts_with("streamed/") ? "streamed" : "memory") << name;
    if (entry["run_type"] == "aggregate" && entry["aggregate_name"] == "median") {
      medians.insert(name);
      EXPECT_GT(entry["real_time"].get<double>(), 0) << name;
      EXPECT_GT(entry["speedup"].get<double>(), 0) << name;
    }
    if (entry["run_type"] == "iteration") ++(entry["cold"] == true ? cold : timed)[name];
  }
  std::set<std::string> all = kConfigsFor12;
  all.merge(streamed_configs_for_12());
  EXPECT_EQ(medians, all);
  for (const std::string& name : all) {
    EXPECT_EQ(timed[name], 1) << name;
    EXPECT_EQ(cold[name], 1) << name;
  }
  const auto rows = lines_of(read_file(dir_ / "r.csv"));
  ASSERT_EQ(rows.size(), 17u);
  EXPECT_EQ(rows[0].rfind("name,pipeline,backend,workers,group_workers,runs,job_median_ms", 0), 0u);
  EXPECT_NE(rows[0].find(",decode_median_ms,encode_median_ms,pipeline_median_ms,overlap,error"),
            std::string::npos);
  std::set<std::string> names;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    names.insert(rows[i].substr(0, rows[i].find(',')));
    EXPECT_EQ(std::count(rows[i].begin(), rows[i].end(), ','), 27) << rows[i];
    EXPECT_EQ(rows[i].back(), ',') << "no error expected: " << rows[i];
  }
  EXPECT_EQ(names, all);
}

// The streamed medians of a report: busy times, overlap and peaks that agree with each other.
void expect_consistent_streamed_medians(const json& report) {
  int streamed = 0;
  for (const json& entry : report["benchmarks"]) {
    if (entry["pipeline"] != "streamed" || entry["run_type"] != "aggregate" ||
        entry["aggregate_name"] != "median") {
      continue;
    }
    ++streamed;
    const std::string name = entry["run_name"];
    const double decode = entry["decode_time"].get<double>();
    const double filter = entry["filter_time"].get<double>();
    const double encode = entry["encode_time"].get<double>();
    const double wall = entry["pipeline_time"].get<double>();
    EXPECT_GT(decode, 0) << name;
    EXPECT_GT(filter, 0) << name;
    EXPECT_GT(encode, 0) << name;
    EXPECT_LE(wall, entry["real_time"].get<double>()) << name;
    EXPECT_NEAR(entry["overlap"].get<double>(), (decode + filter + encode) / wall, 1e-6) << name;
    EXPECT_GT(entry["parent_peak_rss_kb"].get<long>(), 0) << name;
    if (entry["backend"].get<std::string>().starts_with("procs")) {
      EXPECT_GT(entry["workers_peak_rss_kb"].get<long>(), 0) << name;
    } else {
      EXPECT_FALSE(entry.contains("workers_peak_rss_kb")) << name;
    }
  }
  EXPECT_EQ(streamed, 8);
}

TEST_F(BenchCommand, StreamedRunsCarryBusyTimesOverlapAndPeakMemory) {
  cv::Mat image(300, 80, CV_8UC3);
  cv::RNG(3).fill(image, cv::RNG::UNIFORM, 0, 256);
  ASSERT_TRUE(cv::imwrite((dir_ / "tall.jpg").string(), image));
  const Outcome run =
      pblur("bench tall.jpg --workers 1,2 --repeat 3 --warmup 0 -q --json r.json --sigma 2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(temporary_folder_is_empty());
  expect_consistent_streamed_medians(json::parse(read_file(dir_ / "r.json")));
  for (const char* needle : {"Streamed file to file", "overlap", "decode", "encode"}) {
    EXPECT_NE(run.out.find(needle), std::string::npos) << needle;
  }
  for (const std::string& line : lines_of(run.out)) EXPECT_LE(line.size(), 100u) << line;
}

TEST_F(BenchCommand, VerbosePrintsTheSettingsThenEachRunAsItEnds) {
  const Outcome run = pblur("bench in.png --workers 1,2 --repeat 1 --warmup 0 -v");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines;
  for (const std::string& line : lines_of(run.err)) {
    if (line.starts_with("pblur bench: ")) lines.push_back(line.substr(13));
  }
  ASSERT_EQ(lines.size(), 4u + 1u + 16u + 1u + 16u) << run.err;
  EXPECT_EQ(lines[0], "image in.png, 64x48 BGR 8-bit");
  EXPECT_EQ(lines[1].rfind("filter gaussian sigma=", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2],
            "workers 1, 2; rounds per configuration and worker count: 1 cold, 0 warm-up, 1 timed");
  EXPECT_NE(lines[3].find(" usable CPUs, load average "), std::string::npos) << lines[3];
  EXPECT_EQ(lines[4], "measuring: seq, threads, procs-shared, procs-copy");
  EXPECT_EQ(lines[5].rfind("cold, seq (measured with the 1-worker group): ", 0), 0u) << lines[5];
  EXPECT_EQ(lines[16].rfind("cold, procs-copy with 2 workers: ", 0), 0u) << lines[16];
  EXPECT_EQ(lines[20].rfind("timed 1 of 1, procs-copy with 2 workers: ", 0), 0u) << lines[20];
  EXPECT_EQ(lines[21], "streamed file to file: seq, threads, procs-shared, procs-copy");
  for (std::size_t i = 22; i < lines.size(); ++i) {
    EXPECT_NE(lines[i].find(", streamed "), std::string::npos) << lines[i];
    EXPECT_NE(lines[i].find(" ms (busy: decode "), std::string::npos) << lines[i];
    EXPECT_NE(lines[i].find(" ms in "), std::string::npos) << lines[i];
  }
  EXPECT_EQ(lines[37].rfind("timed 1 of 1, streamed procs-copy with 2 workers: ", 0), 0u)
      << lines[37];
}

TEST_F(BenchCommand, HelpHasAnExampleBlockWithinEightyColumns) {
  const Outcome run = pblur("bench --help");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("\nExamples:\n  pblur bench photo.jpg --sigma 8\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  pblur bench --batch photos/ --workers 2 -v --csv batch.csv --plot "
                         "batch.svg\n"),
            std::string::npos)
      << run.out;
  for (const std::string& line : lines_of(run.out)) EXPECT_LE(line.size(), 80u) << line;
}

TEST_F(BenchCommand, ConsoleTableFitsOneHundredColumnsAndNamesEveryBackend) {
  const Outcome run = pblur(quick());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const std::string& line : lines_of(run.out)) EXPECT_LE(line.size(), 100u) << line;
  for (const char* needle : {"seq ", "threads ", "procs-shared ", "procs-copy ", "fork safety:",
                             "pools:", "speedup", "procs/thr", "worker MiB", "OpenCV", "oneTBB"}) {
    EXPECT_NE(run.out.find(needle), std::string::npos) << needle;
  }
}

TEST_F(BenchCommand, AWrongBackendIsReportedAsAMismatch) {
  const cv::Mat image = cv::imread((dir_ / "in.png").string(), cv::IMREAD_UNCHANGED);
  const pblur::BenchReport report =
      pblur::run_image_bench(bench_test_runtime(), image, quick_corrupting("threads"));
  EXPECT_FALSE(report.ok());  // the command's exit code 1
  const WrittenReport written = write_reports(report);
  EXPECT_EQ(written.errors,
            (std::vector<std::string>{
                "threads with 1 worker: output differs from seq's in 1 of 3072 pixels, the first "
                "at x=0 y=0",
                "threads with 2 workers: output differs from seq's in 1 of 3072 pixels, the first "
                "at x=0 y=0"}));
  int errors = 0;
  for (const json& entry : written.document["benchmarks"]) {
    if (entry["backend"] != "threads") continue;
    EXPECT_EQ(entry["error_occurred"], true);
    EXPECT_FALSE(entry.contains("real_time"));
    ++errors;
  }
  EXPECT_EQ(errors, 2);
  EXPECT_NE(written.csv.find("threads/workers:2,memory,threads,2,2,0,,"), std::string::npos)
      << written.csv;
  EXPECT_NE(written.csv.find("\"output differs from seq's in 1 of 3072 pixels"), std::string::npos);
}

TEST(BenchReporters, TheOrderOfARoundIsWordedFromTheReportsRows) {
  pblur::BenchReport report;
  for (const pblur::BenchConfig& config : pblur::kFolderBenchConfigs) {
    pblur::BenchRow row;
    row.config = config;
    report.rows.push_back(row);
  }
  EXPECT_EQ(pblur::cli::describe_order(report),
            "per worker count: one cold run of each configuration, then warm-up rounds, then "
            "timed rounds, each round running seq, procs-images, procs-strips, threads-images, "
            "threads-strips once");
  EXPECT_EQ(pblur::cli::backend_column(report.rows[2].config), "procs");
  EXPECT_EQ(pblur::cli::bench_config_name(report.rows[2].config), "procs-strips/workers:1");
  EXPECT_EQ(pblur::cli::describe_bench_config(report.rows[0].config),
            "seq (measured with the 1-worker group)");
}

TEST_F(BenchCommand, PlotWritesAPngOrAnSvgAndLeavesNoTemporaryFile) {
  Outcome run = pblur(quick() + "--plot chart.png");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string png = read_file(dir_ / "chart.png");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  run = pblur(quick() + "--plot chart.svg --json r.json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string svg = read_file(dir_ / "chart.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) files.insert(entry.path().filename());
  EXPECT_EQ(files, (std::set<std::string>{"chart.png", "chart.svg", "err.txt", "in.png", "out.txt",
                                          "r.json", "tmp"}));
}

TEST_F(BenchCommand, PlotWithoutMatplotlibFailsAtOnceAndWritesNothing) {
  const Outcome run = pblur(quick() + "--plot chart.png --json r.json", "PBLUR_PYTHON=/bin/false");
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "pblur: error: --plot needs matplotlib, which /bin/false cannot import (Debian package "
            "python3-matplotlib; tools/setup.sh installs it)\n");
  EXPECT_FALSE(fs::exists(dir_ / "chart.png"));
  EXPECT_FALSE(fs::exists(dir_ / "r.json"));
}

TEST_F(BenchCommand, OptionErrorsAreOneClearLine) {
  const OptionErrorCase cases[] = {
      {"bench", 2, "pblur: error: give an IMAGE or --batch DIR (see pblur bench --help)\n"},
      {"bench in.png --workers 0", 2, "--workers: Value 0 not in range 1 to 256"},
      {"bench in.png --workers 1,x", 2, "--workers"},
      {"bench in.png --repeat 0", 2, "--repeat: Value 0 not in range 1 to 1000"},
      {"bench in.png --warmup -1", 2, "--warmup"},
      {"bench in.png --plot chart.gif", 2, "give a file name ending in .png or .svg"},
      {"bench in.png --procs 2", 2, "unknown option --procs (see pblur bench --help)"},
      {"bench in.png -v -q", 2, "excludes"},
      {"bench in.png --filter median --ksize 4", 2, "pblur: error: "},
      {"bench missing.png", 3, "pblur: error: "},
      {"bench in.png --json no/such/folder/r.json", 4,
       "pblur: error: --json: cannot write 'no/such/folder/r.json': folder 'no/such/folder' does "
       "not exist\n"},
      {"bench in.png --csv tmp", 4, "pblur: error: --csv: cannot write 'tmp': it is a folder\n"},
  };
  for (const OptionErrorCase& c : cases) expect_one_line_error(c, true);
}

TEST_F(BenchCommand, HelpAndTheFilterCommandStillWork) {
  Outcome run = pblur("bench --help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("pblur bench [OPTIONS] [IMAGE]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("--batch DIR"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("--workers"), std::string::npos);
  run = pblur("in.png out.png --threads 2");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(dir_ / "out.png"));
  run = pblur("in.png");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "pblur: error: OUTPUT is required (see pblur --help)\n");
  run = pblur("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("bench"), std::string::npos);
}

TEST_F(BenchCommand, CompareScriptListsEveryConfigurationOfTwoRuns) {
  ASSERT_EQ(pblur(quick() + "--json a.json").exit_code, 0);
  ASSERT_EQ(pblur(quick() + "--json b.json").exit_code, 0);
  const std::string command = "/usr/bin/python3 '" PBLUR_SOURCE_DIR "/tools/compare_bench.py' '" +
                              (dir_ / "a.json").string() + "' '" + (dir_ / "b.json").string() +
                              "' > '" + (dir_ / "compare.txt").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string text = read_file(dir_ / "compare.txt");
  for (const std::string& name : kConfigsFor12) {
    EXPECT_NE(text.find(name + " "), std::string::npos) << text;
  }
  EXPECT_NE(text.find("%"), std::string::npos);
  EXPECT_EQ(text.find("only in"), std::string::npos);
}

const std::set<std::string> kBatchConfigsFor12 = {"seq/group:1",
                                                  "procs-images/workers:1",
                                                  "procs-strips/workers:1",
                                                  "threads-images/workers:1",
                                                  "threads-strips/workers:1",
                                                  "seq/group:2",
                                                  "procs-images/workers:2",
                                                  "procs-strips/workers:2",
                                                  "threads-images/workers:2",
                                                  "threads-strips/workers:2"};

TEST_F(BenchCommand, BatchMeasuresEveryBackendAndSplitInImagesPerSecond) {
  make_folder();
  const Outcome run = pblur(quick_batch() + "--json r.json --csv r.csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_TRUE(temporary_folder_is_empty());
  const json report = json::parse(read_file(dir_ / "r.json"));
  EXPECT_EQ(report["context"]["folder"]["images"], 5);
  EXPECT_EQ(report["context"]["folder"]["first_image"]["width"], 64);
  std::set<std::string> medians;
  std::map<std::string, int> timed;
  for (const json& entry : report["benchmarks"]) {
    EXPECT_FALSE(entry.contains("error_occurred")) << entry.dump();
    const std::string name = entry["run_name"];
    EXPECT_GT(entry["items_per_second"].get<double>(), 0) << name;
    EXPECT_GT(entry["bytes_per_second"].get<double>(), 0) << name;
    if (entry["run_type"] == "aggregate" && entry["aggregate_name"] == "median") {
      medians.insert(name);
      EXPECT_GT(entry["speedup"].get<double>(), 0) << name;
      EXPECT_EQ(entry["backend"] == "procs", entry["procs_threads_ratio"].is_number()) << name;
    }
    if (entry["run_type"] == "iteration" && entry["cold"] == false) ++timed[name];
  }
  EXPECT_EQ(medians, kBatchConfigsFor12);
  for (const std::string& name : kBatchConfigsFor12) EXPECT_EQ(timed[name], 1) << name;
  const auto rows = lines_of(read_file(dir_ / "r.csv"));
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(rows[0].rfind("name,backend,split,workers,group_workers,runs,images,input_bytes", 0),
            0u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(std::count(rows[i].begin(), rows[i].end(), ','), 18) << rows[i];
    EXPECT_EQ(rows[i].back(), ',') << "no error expected: " << rows[i];
  }
}

TEST_F(BenchCommand, BatchPlotDrawsTheFolderChart) {
  if (!matplotlib_available()) GTEST_SKIP() << "python3-matplotlib is not installed";
  make_folder();
  const Outcome run = pblur(quick_batch() + "--plot batch.png");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string png = read_file(dir_ / "batch.png");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_TRUE(temporary_folder_is_empty());
}

TEST_F(BenchCommand, BatchConsoleTableFitsOneHundredColumns) {
  make_folder();
  const Outcome run = pblur(quick_batch());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const std::string& line : lines_of(run.out)) EXPECT_LE(line.size(), 100u) << line;
  for (const char* needle : {"5 images", "images per second", "procs    images", "procs    strips",
                             "threads  images", "threads  strips", "seq      -", "procs/thr"}) {
    EXPECT_NE(run.out.find(needle), std::string::npos) << needle;
  }
}

TEST_F(BenchCommand, BatchOutputThatDiffersFromSeqIsAnError) {
  make_folder();
  pblur::BatchPlanOptions plan;
  plan.inputs = {dir_ / "imgs"};
  plan.output_dir = dir_ / "unused";
  const std::vector<pblur::BatchItem> items = pblur::plan_batch(plan).work;
  setenv("TMPDIR", (dir_ / "tmp").c_str(), 1);
  const pblur::BenchReport report = pblur::run_folder_bench(
      bench_test_runtime(), items, pblur::LoadOptions{}, quick_corrupting("procs-strips"));
  unsetenv("TMPDIR");
  EXPECT_FALSE(report.ok());  // the command's exit code 1
  EXPECT_TRUE(temporary_folder_is_empty());
  const WrittenReport written = write_reports(report);
  ASSERT_EQ(written.errors.size(), 2u);
  EXPECT_EQ(written.errors[0].rfind("procs-strips with 1 worker: img0.png: output differs from "
                                    "seq's",
                                    0),
            0u)
      << written.errors[0];
  std::set<std::string> failed;
  for (const json& entry : written.document["benchmarks"]) {
    if (entry.contains("error_occurred")) failed.insert(entry["run_name"]);
  }
  EXPECT_EQ(failed, (std::set<std::string>{"procs-strips/workers:1", "procs-strips/workers:2"}));
  EXPECT_NE(written.csv.find("differs from seq's"), std::string::npos);
}

TEST_F(BenchCommand, BatchStoppedBySigtermRemovesItsTemporaryOutputs) {
  make_folder();
  // Started in the background; once its temporary folder exists it is measuring, and is stopped.
  const pid_t pid = start("bench --batch imgs --workers 1 --repeat 1000 --warmup 0 -q");
  const auto measuring = [&] {
    for (const auto& entry : fs::directory_iterator(dir_ / "tmp")) {
      if (entry.path().filename().string().starts_with("pblur-bench-batch")) return true;
    }
    return false;
  };
  for (int i = 0; i < 300 && !measuring(); ++i) usleep(100'000);
  kill(pid, SIGTERM);
  EXPECT_EQ(pblur::testing::wait_for_pblur(pid), 143);
  EXPECT_EQ(read_file(dir_ / "err.txt"),
            "pblur: error: interrupted: the benchmark stopped and its temporary outputs were "
            "removed\n");
  EXPECT_TRUE(temporary_folder_is_empty());
}

TEST_F(BenchCommand, BatchOptionErrorsAreOneClearLine) {
  make_folder();
  fs::create_directories(dir_ / "empty");
  const OptionErrorCase cases[] = {
      {"bench in.png --batch imgs", 2, "pblur: error: IMAGE excludes --batch"},
      {"bench in.png -r", 2, "pblur: error: --recursive requires --batch"},
      {"bench --batch missing", 3, "pblur: error: cannot read 'missing': no such folder\n"},
      {"bench --batch empty", 3,
       "pblur: error: no images found in 'empty' (subfolders are searched with --recursive)\n"},
      {"bench --batch in.png", 3, "pblur: error: cannot read 'in.png': not a folder\n"},
  };
  for (const OptionErrorCase& c : cases) expect_one_line_error(c, false);
}

}  // namespace
