//! Field path → line and column, by walking the document's tree. A path that goes past what the
//! text has (a missing required field) stops at the deepest part that exists, which is where the
//! field should be added.

use super::yaml::{Document, Mark, NodeId, NodeKind};
use crate::validation::field::Seg;

/// Where `path` (relative to the object at `root`) is written: the key of a field, the start of a
/// list item.
pub fn locate(doc: &Document, root: NodeId, path: &[Seg]) -> Mark {
    let mut node = root;
    let mut mark = doc.node(root).mark;
    for seg in path {
        match (seg, &doc.node(node).kind) {
            (Seg::Field(k) | Seg::Key(k), NodeKind::Map(entries)) => {
                let Some(e) = entries.iter().find(|e| &e.key == k) else {
                    break;
                };
                mark = doc.nodes[e.key_node].mark;
                node = e.value;
            }
            (Seg::Index(i), NodeKind::Seq(items)) => {
                let Some(&item) = items.get(*i) else { break };
                mark = doc.node(item).mark;
                node = item;
            }
            _ => break,
        }
    }
    mark
}

#[cfg(test)]
mod tests {
    use super::super::yaml::Reader;
    use super::*;

    #[test]
    fn walks_fields_items_and_keys() {
        let text = "metadata:\n  labels:\n    app: web\nspec:\n  containers:\n  - name: a\n  - name: b\n    image: x\n";
        let d = Reader::new(text).next_document().unwrap().unwrap();
        let f = |s: &str| Seg::Field(s.into());
        assert_eq!(
            locate(&d, d.root, &[f("spec"), f("containers"), Seg::Index(1), f("image")]),
            Mark { line: 8, column: 5 }
        );
        assert_eq!(locate(&d, d.root, &[f("spec"), f("containers"), Seg::Index(1)]), Mark { line: 7, column: 5 });
        assert_eq!(
            locate(&d, d.root, &[f("metadata"), f("labels"), Seg::Key("app".into())]),
            Mark { line: 3, column: 5 }
        );
        // Missing: the deepest existing part.
        assert_eq!(
            locate(&d, d.root, &[f("spec"), f("containers"), Seg::Index(0), f("image")]),
            Mark { line: 6, column: 5 }
        );
        assert_eq!(locate(&d, d.root, &[f("spec"), f("volumes")]), Mark { line: 4, column: 1 });
    }
}
