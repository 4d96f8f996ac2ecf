
import init, * as bindings from './clientbook-bf885af7c6ebfbe6.js';
const wasm = await init({ module_or_path: './clientbook-bf885af7c6ebfbe6_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));

