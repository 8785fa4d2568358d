//! What containers *do*. There are no real images: an image catalog says what each known image
//! is (size, default command, ports), and unknown images behave as a generic server.

pub mod catalog;
pub mod container;
pub mod registry;
pub mod shell;
