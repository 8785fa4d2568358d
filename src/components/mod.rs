pub mod cluster_view;
pub mod editor;
pub mod time_bar;
