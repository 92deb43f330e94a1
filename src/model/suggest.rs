//! "Did you mean …?" for misspelt names.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|&(distance, candidate)| {
            distance <= limit
                || (candidate.len() > 2 && candidate.starts_with(name) && name.len() > 2)
        })
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_prefixes() {
        let names = ["catalog_db", "order_db", "orders"];
        assert_eq!(closest("catalgo_db", names), Some("catalog_db"));
        assert_eq!(closest("order", names), Some("orders"));
        assert_eq!(closest("zzz", names), None);
    }
}
