//! Column alignment as kubectl's printers do it: Go's text/tabwriter with minwidth 6, padding 3,
//! pad char ' ' (k8s.io/cli-runtime/pkg/printers/tabwriter.go). Cells are tab-separated; the
//! last cell of a line is not padded.

const MIN_WIDTH: usize = 6;
const PADDING: usize = 3;

pub fn render(rows: &[Vec<String>]) -> String {
    render_remembering(rows, &mut Vec::new())
}

/// Renders with column widths that never shrink across calls (tabwriter's RememberWidths, which
/// `kubectl get -w` relies on to keep streamed rows aligned with the first table).
pub fn render_remembering(rows: &[Vec<String>], widths: &mut Vec<usize>) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if widths.len() < columns {
        widths.resize(columns, 0);
    }
    for row in rows {
        // Only cells followed by another cell are aligned (tab-terminated in tabwriter terms).
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            let w = cell.chars().count() + PADDING;
            widths[i] = widths[i].max(w.max(MIN_WIDTH));
        }
    }
    let mut out = String::new();
    for row in rows {
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                let pad = widths[i] - cell.chars().count();
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
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
}
