use super::*;

fn one(text: &str) -> ManifestError {
    let mut d = decode(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.remove(0).unwrap_err()
}

#[test]
fn decodes_multi_document_yaml_and_json() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\n---\n{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"dev\"}}\n";
    let docs = decode(text);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].as_ref().unwrap().name(), "a");
    assert_eq!(docs[1].as_ref().unwrap().name(), "dev");
}
