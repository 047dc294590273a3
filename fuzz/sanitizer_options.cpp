// Default sanitizer options of the libFuzzer binaries (environment variables
// still override them): a UBSan finding stops the run, so libFuzzer saves the
// input; third-party reports in fuzz/ubsan.supp are ignored.
extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" WARTBURG_SOURCE_DIR "/fuzz/ubsan.supp";
}
