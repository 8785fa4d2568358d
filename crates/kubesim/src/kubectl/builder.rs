//! Which objects a changing command addresses (cli-runtime's `resource.Builder` as label,
//! annotate, patch, expose and delete use it): `TYPE NAME...`, `TYPE/NAME...`, or
//! `TYPE[,TYPE...]` with `--all` or `-l SELECTOR`, in one namespace or all of them.

use crate::api::{Kind, Object, ObjectKey};
use crate::store::Store;

/// How the objects are chosen besides the arguments.
#[derive(Clone, Debug, Default)]
pub struct Select<'a> {
    pub namespace: &'a str,
    pub all_namespaces: bool,
    /// `--all`.
    pub all: bool,
    /// `-l`.
    pub selector: Option<&'a str>,
}

/// One addressed object: its key, or the error that stands in its place (NotFound), in order.
pub type Found = Result<ObjectKey, String>;

/// Resolves the resource arguments. An `Err` is a usage error that stops the command; missing
/// named objects come back as `Found::Err` entries (the command goes on with the others).
pub fn resolve(store: &Store, resources: &[String], how: &Select) -> Result<Vec<Found>, String> {
    let targets = super::targets(resources)?;
    let named = targets.iter().any(|(_, names)| !names.is_empty());
    if how.all && how.selector.is_some() {
        return Err("error: cannot set --all and --selector at the same time".into());
    }
    if named && how.selector.is_some() {
        return Err("error: name cannot be provided when a selector is specified".into());
    }
    if !named && !how.all && how.selector.is_none() {
        return Err("error: resource(s) were provided, but no name was specified".into());
    }
    let selector = match how.selector.map(crate::selector::parse) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Err(format!("error: {e}")),
    };
    let mut out = Vec::new();
    for (kind, names) in &targets {
        if names.is_empty() {
            let ns = (kind.namespaced() && !how.all_namespaces).then_some(how.namespace);
            out.extend(
                store
                    .list(*kind, ns)
                    .filter(|o| selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref())))
                    .map(|o| Ok(key_of(*kind, o))),
            );
            continue;
        }
        for name in names {
            let key = ObjectKey::new(*kind, how.namespace, name);
            if store.get(&key).is_some() {
                out.push(Ok(key));
            } else {
                out.push(Err(super::not_found(*kind, name).trim_end().to_string()));
            }
        }
    }
    Ok(out)
}

fn key_of(kind: Kind, o: &Object) -> ObjectKey {
    ObjectKey::new(kind, o.namespace(), o.name())
}

/// `TYPE/NAME` as kubectl's name printer writes it (`pod/web`, `deployment.apps/web`).
pub fn printed_name(key: &ObjectKey) -> String {
    format!("{}/{}", super::qualified(key.kind), key.name)
}

/// Splits `args` into resources and `KEY=VALUE` / `KEY-` pairs, the pairs last
/// (cmdutil.GetResourcesAndPairs).
pub fn resources_and_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        match (pairs.is_empty(), is_pair) {
            (_, true) => pairs.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => {
                return Err(format!("error: all resources must be specified before {pair_type} changes: {a}"))
            }
        }
    }
    Ok((resources, pairs))
}

#[cfg(test)]
mod tests {
    use crate::cluster::default_nodes;
    use crate::kubectl::run;
    use crate::sim::{Config, Simulation};

    #[test]
    fn delete_variants() {
        let mut sim = Simulation::new(Config { nodes: default_nodes(1), ..Config::default() });
        for n in ["a", "b", "c"] {
            run(&mut sim, &format!("run {n} --image=nginx --labels=app={n}"));
        }
        run(&mut sim, "expose pod a --port=80");
        sim.advance_by(10_000);
        let o = run(&mut sim, "delete pod/a svc/a --now");
        assert_eq!(
            o.stdout,
            "pod \"a\" deleted from default namespace\nservice \"a\" deleted from default namespace\n"
        );
        let o = run(&mut sim, "delete pod b --force");
        assert!(o.stderr.starts_with("Warning: Immediate deletion does not wait"), "{o:?}");
        assert_eq!(o.stdout, "pod \"b\" force deleted from default namespace\n");
        assert_eq!(
            run(&mut sim, "delete pod c --force --grace-period=5").stderr,
            "error: --force and --grace-period greater than 0 cannot be specified together\n"
        );
        assert_eq!(
            run(&mut sim, "delete pod c --now --grace-period=5").stderr,
            "error: --now and --grace-period cannot be specified together\n"
        );
        assert_eq!(
            run(&mut sim, "delete pods --all -l app=c").stderr,
            "error: cannot set --all and --selector at the same time\n"
        );
        assert_eq!(run(&mut sim, "delete pod").stderr, "error: resource(s) were provided, but no name was specified\n");
        assert_eq!(run(&mut sim, "delete svc -l app=none").stdout, "No resources found\n");
        sim.advance_by(5_000); // pod a's one second of grace is over
        let o = run(&mut sim, "delete pod,svc --all --grace-period=0");
        assert_eq!(
            o.stdout,
            "pod \"c\" deleted from default namespace\nservice \"kubernetes\" deleted from default namespace\n"
        );
        assert_eq!(run(&mut sim, "delete pod nope").stderr, "Error from server (NotFound): pods \"nope\" not found\n");
    }
}
