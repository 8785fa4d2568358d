//! Work deferred to the next animation frame. A clock tick moves the engine in its own task and
//! draws the result at the start of the next frame, so the two halves land in different frames
//! (each fits the 16 ms budget better than both together) and several ticks before one frame
//! draw once.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A draw waiting for the next frame; a second request before that frame is dropped.
#[derive(Clone, Default)]
pub struct NextFrame(Rc<Cell<bool>>);

impl NextFrame {
    pub fn request(&self, draw: impl FnOnce() + 'static) {
        if self.0.replace(true) {
            return;
        }
        let pending = self.0.clone();
        let cb = Closure::once_into_js(move || {
            pending.set(false);
            draw();
        });
        let scheduled = web_sys::window().is_some_and(|w| w.request_animation_frame(cb.unchecked_ref()).is_ok());
        if !scheduled {
            // No frames (no window): draw now rather than never.
            self.0.set(false);
            if let Ok(f) = cb.dyn_into::<web_sys::js_sys::Function>() {
                let _ = f.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    }
}
