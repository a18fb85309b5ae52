#!/usr/bin/python3
"""Generates the neural test voices of rtts's tests: small ONNX graphs with the signatures of
real Piper (VITS) and Kokoro models, made with Debian's python3-onnx. They load and run in
sherpa-onnx like real voices but speak in tones: each input token becomes a short sine whose
frequency says which token it was, so tests can decode the token ids that reached the model.

usage: make_test_voices.py OUT_DIR

OUT_DIR/voices/   voices that work
  en_US-tones-low/         sherpa layout (model.onnx, tokens.txt), 16 kHz, decodable
  en_US-duo-medium.onnx    upstream Piper layout (+ .onnx.json): 2 speakers, VITS-like noise
  en_US-heavy/             sherpa layout; costs about what a Piper medium voice costs per second
  kokoro-tones/            Kokoro layout (model.onnx, voices.bin, tokens.txt), 2 speakers
  kitten-tones/            Kitten layout (the same files; one style vector per speaker), 2 speakers
  matcha-tones/            Matcha layout (icefall's inputs), audio out directly (no vocoder)
OUT_DIR/broken/   voices that would kill the process that loads them
  no-metadata/             a Piper model without sample_rate/n_speakers
  duplicate-tokens/        a tokens.txt that names one symbol twice
  unknown-operator/        right files, a graph ONNX Runtime refuses (found only by loading it)
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# The decodable scheme: token id i sounds at (i + FIRST_BIN) * BIN_HZ for SAMPLES_PER_TOKEN
# samples (at speed 1), an exact DFT bin of a token-long window at the voice's rate.
BIN_HZ = 20
FIRST_BIN = 10

SYMBOLS = ["_", "^", "$", " ", "!", "'", "(", ")", ",", "-", ".", ":", ";", "?"]
SYMBOLS += [chr(c) for c in range(ord("a"), ord("z") + 1)]
SYMBOLS += list("æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ")
SYMBOLS += ["\u0303", "\u0361", "\u0329", "\u032a", "\u032f"]  # combining marks espeak-ng emits


def tokens_txt(symbols):
    return "".join(f"{s} {i}\n" for i, s in enumerate(symbols))


def tone_graph(name, rate, samples_per_token, inputs, token_input, length_scale, extra_nodes=(), extra_inits=(),
               freq_scale=None, noise_scale=None, cost_layers=0, output_shape_1d=False):
    """A graph that turns token ids into tones. `length_scale` names a scalar tensor (1 = normal
    speed) that stretches every token; `freq_scale` a scalar that multiplies every frequency."""
    nodes = list(extra_nodes)
    inits = list(extra_inits)
    inits += [
        numpy_helper.from_array(np.array(samples_per_token, dtype=np.float32), "base_len"),
        numpy_helper.from_array(np.array(2 * np.pi / rate, dtype=np.float32), "two_pi_over_rate"),
        numpy_helper.from_array(np.array(BIN_HZ, dtype=np.float32), "bin_hz"),
        numpy_helper.from_array(np.array(FIRST_BIN, dtype=np.float32), "first_bin"),
        numpy_helper.from_array(np.array(0.3, dtype=np.float32), "amplitude"),
        numpy_helper.from_array(np.array(0, dtype=np.int64), "zero_i"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "one_i"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "axis0"),
    ]
    nodes += [
        # samples per token, at this speed
        helper.make_node("Mul", ["base_len", length_scale], ["len_f"]),
        helper.make_node("Round", ["len_f"], ["len_r"]),
        helper.make_node("Cast", ["len_r"], ["len_i"], to=TensorProto.INT64),
        helper.make_node("Squeeze", [token_input, "axis0"], ["ids"]),
        helper.make_node("Shape", ["ids"], ["n_tokens_1"]),
        helper.make_node("Squeeze", ["n_tokens_1", "axis0"], ["n_tokens"]),
        helper.make_node("Mul", ["n_tokens", "len_i"], ["total"]),
        helper.make_node("Range", ["zero_i", "total", "one_i"], ["n"]),
        helper.make_node("Div", ["n", "len_i"], ["token_index"]),
        helper.make_node("Mod", ["n", "len_i"], ["within"]),
        helper.make_node("Gather", ["ids", "token_index"], ["id_per_sample"], axis=0),
        helper.make_node("Cast", ["id_per_sample"], ["id_f"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["id_f", "first_bin"], ["bin"]),
        helper.make_node("Mul", ["bin", "bin_hz"], ["freq0"]),
    ]
    freq = "freq0"
    if freq_scale:
        nodes.append(helper.make_node("Mul", ["freq0", freq_scale], ["freq1"]))
        freq = "freq1"
    nodes += [
        helper.make_node("Cast", ["within"], ["within_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [freq, "within_f"], ["cycles"]),
        helper.make_node("Mul", ["cycles", "two_pi_over_rate"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["sine"]),
        helper.make_node("Mul", ["sine", "amplitude"], ["audio0"]),
    ]
    audio = "audio0"
    if noise_scale:
        # VITS samples noise: the same text twice in one process differs.
        nodes += [
            helper.make_node("RandomNormalLike", ["audio0"], ["noise"], scale=0.01),
            helper.make_node("Mul", ["noise", noise_scale], ["noise_scaled"]),
            helper.make_node("Add", ["audio0", "noise_scaled"], ["audio1"]),
        ]
        audio = "audio1"
    if cost_layers:
        # Work in proportion to the audio, like a vocoder: one 256-sample frame per 256
        # samples, through `cost_layers` dense 384x384 layers; the result is added at 1e-6 so
        # it cannot be optimised away and does not change the tones.
        width = 384
        weight = np.random.default_rng(7).standard_normal((width, width)).astype(np.float32) / np.sqrt(width)
        inits += [
            numpy_helper.from_array(weight, "w"),
            numpy_helper.from_array(np.array(256, dtype=np.int64), "frame"),
            numpy_helper.from_array(np.array([1, width], dtype=np.int64), "row_shape"),
            numpy_helper.from_array(np.array(1e-6, dtype=np.float32), "tiny"),
        ]
        nodes += [
            helper.make_node("Div", ["total", "frame"], ["n_frames"]),
            helper.make_node("Unsqueeze", ["n_frames", "axis0"], ["n_frames_1"]),
            helper.make_node("Concat", ["n_frames_1", "one_i_1"], ["tile_reps"], axis=0),
            helper.make_node("ReduceMean", [audio], ["level"], keepdims=1),
            helper.make_node("Expand", ["level", "row_shape"], ["row"]),
            helper.make_node("Tile", ["row", "tile_reps"], ["h0"]),
        ]
        inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "one_i_1"))
        # The layers as a Loop: a small graph that loads fast, however many layers it runs.
        body = helper.make_graph(
            [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
             helper.make_node("MatMul", ["h_in", "w"], ["m"]),
             helper.make_node("Tanh", ["m"], ["h_out"])],
            "layer",
            [helper.make_tensor_value_info("iteration", TensorProto.INT64, []),
             helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
             helper.make_tensor_value_info("h_in", TensorProto.FLOAT, ["F", width])],
            [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
             helper.make_tensor_value_info("h_out", TensorProto.FLOAT, ["F", width])])
        inits += [numpy_helper.from_array(np.array(cost_layers, dtype=np.int64), "layers"),
                  numpy_helper.from_array(np.array(True), "always")]
        nodes += [
            helper.make_node("Loop", ["layers", "always", "h0"], ["h_last"], body=body),
            helper.make_node("ReduceMean", ["h_last"], ["cost"], keepdims=0),
            helper.make_node("Mul", ["cost", "tiny"], ["cost_tiny"]),
            helper.make_node("Add", [audio, "cost_tiny"], ["audio2"]),
        ]
        audio = "audio2"
    if output_shape_1d:
        nodes.append(helper.make_node("Identity", [audio], ["audio"]))
        out = helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["N"])
    else:
        inits.append(numpy_helper.from_array(np.array([1, 1, -1], dtype=np.int64), "out_shape"))
        nodes.append(helper.make_node("Reshape", [audio, "out_shape"], ["output"]))
        out = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "N"])
    graph = helper.make_graph(nodes, name, inputs, [out], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def piper_model(name, rate, samples_per_token, speakers=1, noise=False, cost_layers=0):
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "T"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    nodes = [
        helper.make_node("Gather", ["scales", "one_i"], ["length_scale"], axis=0),  # [noise, length, noise_w]
        helper.make_node("Gather", ["scales", "zero_i"], ["noise_scale"], axis=0),
    ]
    inits = []
    freq_scale = None
    if speakers > 1:
        # Speaker s speaks (1 + s/2) times higher: every token's tone moves to another frequency.
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
        inits.append(numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"))
        inits.append(numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one_f"))
        nodes += [
            helper.make_node("Squeeze", ["sid", "axis0"], ["sid0"]),
            helper.make_node("Cast", ["sid0"], ["sid_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", ["sid_f", "half"], ["sid_half"]),
            helper.make_node("Add", ["sid_half", "one_f"], ["speaker_scale"]),
        ]
        freq_scale = "speaker_scale"
    return tone_graph(name, rate, samples_per_token, inputs, "input", "length_scale", nodes, inits, freq_scale=freq_scale,
                      noise_scale="noise_scale" if noise else None, cost_layers=cost_layers)


def set_metadata(model, entries):
    del model.metadata_props[:]
    for key, value in entries.items():
        prop = model.metadata_props.add()
        prop.key, prop.value = key, str(value)


def piper_metadata(rate, speakers, language="English", voice="en-us"):
    return {"model_type": "vits", "comment": "piper", "language": language, "voice": voice, "has_espeak": 1,
            "n_speakers": speakers, "sample_rate": rate}


def write(path, content, binary=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if binary else "w", encoding=None if binary else "utf-8") as f:
        f.write(content)


def main():
    out = sys.argv[1]
    voices, broken = os.path.join(out, "voices"), os.path.join(out, "broken")

    # Decodable, sherpa layout: 800 samples per token at 16 kHz = one 20 Hz DFT bin.
    m = piper_model("tones", 16000, 800)
    set_metadata(m, piper_metadata(16000, 1))
    write(os.path.join(voices, "en_US-tones-low", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(voices, "en_US-tones-low", "tokens.txt"), tokens_txt(SYMBOLS))

    # Upstream Piper layout: no metadata in the model, a phoneme map and speakers in the JSON.
    m = piper_model("duo", 22050, 1102, speakers=2, noise=True)
    write(os.path.join(voices, "en_US-duo-medium.onnx"), m.SerializeToString(), binary=True)
    config = {
        "audio": {"sample_rate": 22050, "quality": "medium"},
        "espeak": {"voice": "en-us"},
        "language": {"code": "en_US", "family": "en", "region": "US", "name_english": "English", "country_english": "United States"},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "num_symbols": len(SYMBOLS),
        "num_speakers": 2,
        "speaker_id_map": {"alice": 0, "bob": 1},
        "phoneme_id_map": {s: [i] for i, s in enumerate(SYMBOLS)},
        "piper_version": "1.0.0",
        "dataset": "rtts-test",
    }
    write(os.path.join(voices, "en_US-duo-medium.onnx.json"), json.dumps(config, ensure_ascii=False, indent=2))

    # Cost-realistic: dense layers in proportion to the audio (tuned to a Piper medium's cost here).
    m = piper_model("heavy", 22050, 1102, cost_layers=int(os.environ.get("RTTS_HEAVY_LAYERS", "360")))
    set_metadata(m, piper_metadata(22050, 1))
    write(os.path.join(voices, "en_US-heavy", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(voices, "en_US-heavy", "tokens.txt"), tokens_txt(SYMBOLS))

    # Kokoro layout: tokens, a style vector per speaker and token count, speed as an input.
    style_len, style_dim = 512, 8
    inputs = [
        helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, "T"]),
        helper.make_tensor_value_info("style", TensorProto.FLOAT, [1, style_dim]),
        helper.make_tensor_value_info("speed", TensorProto.FLOAT, [1]),
    ]
    inits = [numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one_f"),
             numpy_helper.from_array(np.array([0, 0], dtype=np.int64), "style_at")]
    nodes = [
        helper.make_node("Squeeze", ["speed", "axis0"], ["speed0"]),
        helper.make_node("Div", ["one_f", "speed0"], ["length_scale"]),
        # The first style value is the speaker's frequency factor.
        helper.make_node("GatherND", ["style", "style_at"], ["speaker_scale"]),
    ]
    m = tone_graph("kokoro", 24000, 1200, inputs, "tokens", "length_scale", nodes, inits, freq_scale="speaker_scale",
                   output_shape_1d=True)
    set_metadata(m, {"model_type": "kokoro", "language": "English", "voice": "en-us", "has_espeak": 1, "n_speakers": 2,
                     "sample_rate": 24000, "version": 1, "style_dim": f"{style_len},1,{style_dim}",
                     "speaker_names": "af_tone,am_tone"})
    styles = np.zeros((2, style_len, style_dim), dtype=np.float32)
    styles[0, :, 0], styles[1, :, 0] = 1.0, 0.75
    write(os.path.join(voices, "kokoro-tones", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(voices, "kokoro-tones", "voices.bin"), styles.tobytes(), binary=True)
    kokoro_symbols = ["$"] + [s for s in SYMBOLS if s not in ("_", "^", "$")]
    write(os.path.join(voices, "kokoro-tones", "tokens.txt"), tokens_txt(kokoro_symbols))

    # Kitten layout: the Kokoro signature, one style vector per speaker, model_type kitten-tts.
    m = tone_graph("kitten", 24000, 1200, inputs, "tokens", "length_scale", nodes, inits, freq_scale="speaker_scale",
                   output_shape_1d=True)
    set_metadata(m, {"model_type": "kitten-tts", "language": "English", "voice": "en-us", "has_espeak": 1, "n_speakers": 2,
                     "sample_rate": 24000, "version": 1, "style_dim": f"1,{style_dim}", "speaker_names": "expr-voice-2-m,expr-voice-2-f"})
    kitten_styles = np.zeros((2, style_dim), dtype=np.float32)
    kitten_styles[0, 0], kitten_styles[1, 0] = 1.0, 1.25
    write(os.path.join(voices, "kitten-tones", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(voices, "kitten-tones", "voices.bin"), kitten_styles.tobytes(), binary=True)
    write(os.path.join(voices, "kitten-tones", "tokens.txt"), tokens_txt(kokoro_symbols))

    # Matcha layout (icefall's signature): tokens, their count, noise and length scales. Its first
    # output is named audio_output, so sherpa-onnx takes it as audio and needs no vocoder.
    matcha_inputs = [
        helper.make_tensor_value_info("x", TensorProto.INT64, [1, "T"]),
        helper.make_tensor_value_info("x_length", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("noise_scale", TensorProto.FLOAT, [1]),
        helper.make_tensor_value_info("length_scale", TensorProto.FLOAT, [1]),
    ]
    m = tone_graph("matcha", 22050, 1102, matcha_inputs, "x", "length_scale0",
                   [helper.make_node("Squeeze", ["length_scale", "axis0"], ["length_scale0"])], [], output_shape_1d=True)
    m.graph.output[0].name = "audio_output"
    m.graph.node[-1].output[0] = "audio_output"
    set_metadata(m, {"model_type": "matcha-tts", "language": "English", "voice": "en-us", "has_espeak": 1, "n_speakers": 1,
                     "sample_rate": 22050, "version": 1, "use_eos_bos": 1, "pad_id": 0})
    write(os.path.join(voices, "matcha-tones", "model-steps-3.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(voices, "matcha-tones", "tokens.txt"), tokens_txt(SYMBOLS))

    # Broken: sherpa-onnx would end the process that loads these (../shared/NOTES.md).
    m = piper_model("no-metadata", 16000, 800)
    set_metadata(m, {"comment": "piper", "language": "English"})
    write(os.path.join(broken, "no-metadata", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(broken, "no-metadata", "tokens.txt"), tokens_txt(SYMBOLS))
    m = piper_model("duplicate-tokens", 16000, 800)
    set_metadata(m, piper_metadata(16000, 1))
    write(os.path.join(broken, "duplicate-tokens", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(broken, "duplicate-tokens", "tokens.txt"), tokens_txt(SYMBOLS) + f"a {len(SYMBOLS)}\n")
    # Files that look right, a graph ONNX Runtime refuses (an operator it does not know, as in a
    # model made for a newer runtime): only loading it shows the fault, and it ends the process.
    m = piper_model("unknown-operator", 16000, 800)
    m.graph.node[-1].op_type = "NoSuchOperator"
    set_metadata(m, piper_metadata(16000, 1))
    write(os.path.join(broken, "unknown-operator", "model.onnx"), m.SerializeToString(), binary=True)
    write(os.path.join(broken, "unknown-operator", "tokens.txt"), tokens_txt(SYMBOLS))


if __name__ == "__main__":
    main()
