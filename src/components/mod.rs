pub mod cluster_view;
pub mod editor;
pub mod inspector;
pub mod lesson;
pub mod terminal;
pub mod time_bar;
pub mod timeline;
pub mod yaml_lines;
