//! DJI's `drone-dji` XMP tags, read as text: the packet is small and its layout fixed, so a full
//! XML parser buys nothing here.

use std::collections::BTreeMap;

/// `drone-dji:Name` → value, from both attribute (`Name="v"`) and element (`<Name>v</Name>`) forms.
pub fn drone_dji_tags(bytes: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(bytes);
    let mut tags = BTreeMap::new();
    let prefix = "drone-dji:";
    let mut rest = text.as_ref();
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = &rest[name.len()..];
        let value = if let Some(v) = after.strip_prefix("=\"") {
            v.split('"').next()
        } else if let Some(v) = after.strip_prefix('>') {
            v.split('<').next()
        } else {
            None
        };
        if let Some(v) = value.filter(|_| !name.is_empty()) {
            tags.entry(name).or_insert_with(|| v.trim().to_owned());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attribute_and_element_forms() {
        let xmp = br#"<rdf:Description drone-dji:GpsLatitude="+51.3661299" drone-dji:GimbalPitchDegree="-90.00">
            <drone-dji:RtkFlag>50</drone-dji:RtkFlag></rdf:Description>"#;
        let t = drone_dji_tags(xmp);
        assert_eq!(t["GpsLatitude"], "+51.3661299");
        assert_eq!(t["GimbalPitchDegree"], "-90.00");
        assert_eq!(t["RtkFlag"], "50");
    }
}
