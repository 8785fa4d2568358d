pub mod cluster_view;
pub mod editor;
pub mod inspector;
pub mod pod_explain;
pub mod scheduler_table;
pub mod terminal;
pub mod time_bar;
pub mod yaml_lines;
