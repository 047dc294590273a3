// Default sanitizer options of the libFuzzer binaries (environment variables
// still override them).
//  - UBSan: a finding stops the run, so libFuzzer saves the input; third-party
//    reports listed in fuzz/ubsan.supp are ignored.
//  - ASan: no fake stack for use-after-return (clang >= 15 turns it on by
//    default): the evaluator's native-stack guard measures the address of a
//    local variable, which then lives on the heap, and deep recursion would
//    overflow the real stack instead of ending in eval_internal_error.
extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" WARTBURG_SOURCE_DIR "/fuzz/ubsan.supp";
}

extern "C" const char* __asan_default_options() { return "detect_stack_use_after_return=0"; }
