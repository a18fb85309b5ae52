// A library that calls itself sherpa-onnx 1.12.0 and has nothing else: rtts must refuse it
// before it calls anything (that version's config structs have another layout).
extern "C" __attribute__((visibility("default"))) const char* SherpaOnnxGetVersionStr() { return "1.12.0"; }
