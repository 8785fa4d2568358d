//! Column alignment exactly as Go's `text/tabwriter` does it (a port of its `Write`/`Flush`/
//! `format`/`writeLines`), with the two configurations kubectl uses:
//!
//! - tables (`kubectl get`): minwidth 6, padding 3 (k8s.io/cli-runtime/pkg/printers/tabwriter.go);
//! - describe: minwidth 0, padding 2 (`tabbedString` in k8s.io/kubectl/pkg/describe/describe.go).
//!
//! Cells are terminated by '\t' (or '\v'); the text after the last tab of a line is not part of a
//! column. A column block is a run of consecutive lines that have that column; a line with a
//! single cell flushes everything before it, so alignment restarts after it. Padding is ' ', and
//! widths count characters (runes), as Go does.

#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    width: usize,
}

/// A Go `tabwriter.Writer` with pad char ' ' and no flags.
#[derive(Debug)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    out: String,
    lines: Vec<Vec<Cell>>,
    cell: Cell,
    widths: Vec<usize>,
}

impl TabWriter {
    pub fn new(minwidth: usize, padding: usize) -> Self {
        TabWriter {
            minwidth,
            padding,
            out: String::new(),
            lines: vec![Vec::new()],
            cell: Cell::default(),
            widths: Vec::new(),
        }
    }

    /// The writer `kubectl get` prints tables through.
    pub fn for_tables() -> Self {
        TabWriter::new(6, 3)
    }

    /// The writer `kubectl describe` prints through.
    pub fn for_describe() -> Self {
        TabWriter::new(0, 2)
    }

    pub fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '\t' | '\u{b}' | '\n' | '\u{c}' => {
                    let ncells = self.terminate_cell();
                    if c == '\n' || c == '\u{c}' {
                        self.lines.push(Vec::new());
                        if c == '\u{c}' || ncells == 1 {
                            // A line of one cell does not affect the formatting of the following
                            // lines, so everything so far can be flushed.
                            self.flush();
                        }
                    }
                }
                c => {
                    self.cell.text.push(c);
                    self.cell.width += 1;
                }
            }
        }
    }

    fn terminate_cell(&mut self) -> usize {
        let cell = std::mem::take(&mut self.cell);
        // `lines` is never empty: it starts with one line and only grows until a flush resets it.
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let last = self.lines.len() - 1;
        self.lines[last].push(cell);
        self.lines[last].len()
    }

    /// Formats and writes out everything buffered so far (Go's `Flush`).
    pub fn flush(&mut self) {
        if !self.cell.text.is_empty() {
            self.terminate_cell();
        }
        let n = self.lines.len();
        self.format(0, n);
        self.lines = vec![Vec::new()];
        self.cell = Cell::default();
        self.widths.clear();
    }

    /// Flushes and returns the text written.
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    fn format(&mut self, line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // This line has a cell in this column: print the lines before the block as they are.
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].width + self.padding);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
            // Go's loop increments past the line that ended the block (it has no cell here).
            this += 1;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let line = std::mem::take(&mut self.lines[i]);
            for (j, c) in line.iter().enumerate() {
                self.out.push_str(&c.text);
                if let Some(&w) = self.widths.get(j) {
                    let pad = w.saturating_sub(c.width);
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            } else {
                // The last buffered line has no newline yet: write its unfinished cell as is.
                let partial = self.cell.text.clone();
                self.out.push_str(&partial);
                self.cell = Cell::default();
            }
            self.lines[i] = line;
        }
    }
}

/// Renders rows of cells as `kubectl get` does: cells joined by tabs, one line per row, through
/// the table tabwriter. The last cell of each row is not padded.
/// Renders rows with widths that never shrink across calls (RememberWidths).
pub fn render_remembering(rows: &[Vec<String>], widths: &mut Vec<usize>) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if widths.len() < columns {
        widths.resize(columns, 0);
    }
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            widths[i] = widths[i].max((cell.chars().count() + 3).max(6));
        }
    }
    let mut out = String::new();
    for row in rows {
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.extend(std::iter::repeat_n(' ', widths[i].saturating_sub(cell.chars().count())));
            }
        }
        out.push('\n');
    }
    out
}

pub fn render(rows: &[Vec<String>]) -> String {
    let mut w = TabWriter::for_tables();
    for row in rows {
        w.write_str(&row.join("\t"));
        w.write_str("\n");
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_like_kubectl() {
        let rows = vec![
            vec!["NAME".into(), "READY".into(), "STATUS".into(), "RESTARTS".into(), "AGE".into()],
            vec!["nginx".into(), "1/1".into(), "Running".into(), "0".into(), "10s".into()],
        ];
        assert_eq!(
            render(&rows),
            "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          10s\n"
        );
    }

    #[test]
    fn short_columns_get_min_width() {
        let rows = vec![vec!["A".into(), "B".into()], vec!["x".into(), "y".into()]];
        assert_eq!(render(&rows), "A     B\nx     y\n");
    }

    #[test]
    fn single_cell_lines_restart_alignment() {
        let mut w = TabWriter::for_describe();
        w.write_str("Name:\tnginx\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tnginx\n    Restart Count:\t0\n");
        assert_eq!(
            w.finish(),
            "Name:       nginx\nNamespace:  default\nContainers:\n  c:\n    Image:          nginx\n    Restart Count:  0\n"
        );
    }

    #[test]
    fn column_blocks_follow_go() {
        // Column 1 exists only on the middle lines: only they are aligned on it.
        let mut w = TabWriter::for_describe();
        w.write_str("a:\tx\nlonger:\tb\tc\nl:\tbbbb\tc\nz:\ty\n");
        assert_eq!(w.finish(), "a:       x\nlonger:  b     c\nl:       bbbb  c\nz:       y\n");
    }

    #[test]
    fn trailing_empty_cells_are_padded() {
        let mut w = TabWriter::for_describe();
        w.write_str("IP:\t\nIPs:\t<none>\n");
        assert_eq!(w.finish(), "IP:   \nIPs:  <none>\n");
    }

    #[test]
    fn explicit_flush_and_unterminated_text() {
        let mut w = TabWriter::for_describe();
        w.write_str("a:\tb\n");
        w.flush();
        w.write_str("long key:\tv\nno newline");
        assert_eq!(w.finish(), "a:  b\nlong key:  v\nno newline");
    }
}
