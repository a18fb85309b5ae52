#pragma once
// Engines whose libraries are loaded at run time (Flite, Pico, RHVoice): the worker of that
// engine alone maps them, and a machine without them lists one engine fewer instead of failing
// to start rtts at all.
#include <dlfcn.h>

namespace rtts::engines {

// Resolves `symbol` in `library` into the function pointer `out`; false if it is missing.
template <class F> bool bind_symbol(void* library, const char* symbol, F& out) {
  out = reinterpret_cast<F>(::dlsym(library, symbol));
  return out != nullptr;
}

} // namespace rtts::engines
