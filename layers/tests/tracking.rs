//! An offline copy knows what was edited in it by another program (GDAL, as QGIS edits), and
//! a save by Yitu keeps it a copy.

use gdal::vector::{Feature as GdalFeature, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::{Geometry, point};
use yitu_layers::tracking::{self, ChangeOp, Settled};
use yitu_layers::{AttrValue, Feature, Layer, LayerKind, LayerStyle, Project, ProjectLayer};

fn copy() -> Project {
    let mut layer = Layer::new(
        "排污口",
        LayerKind::Outfalls,
        vec!["id".into(), "version".into(), "name".into(), "flow".into()],
    );
    for i in 1..=5 {
        layer.features.push(Feature {
            geometry: Some(Geometry::Point(
                point!(x: 106.5 + f64::from(i) * 0.01, y: 29.5),
            )),
            values: vec![
                AttrValue::Text(format!("o{i}")),
                AttrValue::Int(1),
                AttrValue::Text(format!("outfall {i}")),
                AttrValue::Real(f64::from(i) * 1.5),
            ],
        });
    }
    Project {
        name: "copy".into(),
        layers: vec![ProjectLayer {
            layer,
            style: LayerStyle::default(),
        }],
        bookmarks: Vec::new(),
        rasters: Vec::new(),
        stories: Vec::new(),
    }
}

fn open_for_update(path: &std::path::Path) -> Dataset {
    Dataset::open_ex(
        path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_UPDATE,
            ..Default::default()
        },
    )
    .expect("GDAL and the copy do as asked")
}

#[test]
fn edits_by_another_program_are_found_and_settled() {
    let dir = tempfile::tempdir().expect("GDAL and the copy do as asked");
    let path = dir.path().join("copy.gpkg");
    copy()
        .save_copy(&path)
        .expect("GDAL and the copy do as asked");
    assert!(tracking::is_tracked(&path).expect("GDAL and the copy do as asked"));
    assert!(
        tracking::changes(&path)
            .expect("GDAL and the copy do as asked")
            .is_empty()
    );
    // The base is no layer of the project.
    let opened = Project::open(&path).expect("GDAL and the copy do as asked");
    assert_eq!(opened.layers.len(), 1);

    {
        let ds = open_for_update(&path);
        let layer = ds
            .layer_by_name("排污口")
            .expect("GDAL and the copy do as asked");
        // Change o2's name, move o3, delete o4, add a new row without id and paste o1.
        let mut f = layer.feature(2).expect("GDAL and the copy do as asked");
        let name = f
            .field_index("name")
            .expect("GDAL and the copy do as asked");
        f.set_field_string(name, "renamed")
            .expect("GDAL and the copy do as asked");
        layer.set_feature(f).expect("GDAL and the copy do as asked");
        let mut f = layer.feature(3).expect("GDAL and the copy do as asked");
        let g = gdal::vector::Geometry::from_wkt("POINT (106.6 29.6)")
            .expect("GDAL and the copy do as asked");
        f.set_geometry(g).expect("GDAL and the copy do as asked");
        layer.set_feature(f).expect("GDAL and the copy do as asked");
        for id in [None, Some("o1")] {
            let mut f = GdalFeature::new(layer.defn()).expect("GDAL and the copy do as asked");
            if let Some(id) = id {
                f.set_field_string(0, id)
                    .expect("GDAL and the copy do as asked");
            }
            f.set_field_string(2, "new")
                .expect("GDAL and the copy do as asked");
            f.set_geometry(
                gdal::vector::Geometry::from_wkt("POINT (106.7 29.7)")
                    .expect("GDAL and the copy do as asked"),
            )
            .expect("GDAL and the copy do as asked");
            f.create(&layer).expect("GDAL and the copy do as asked");
        }
        // A deletion the way a script would do it, in SQL.
        ds.execute_sql(
            "DELETE FROM \"排污口\" WHERE fid = 4",
            None,
            gdal::vector::sql::Dialect::DEFAULT,
        )
        .expect("GDAL and the copy do as asked");
    }
    let changes = tracking::changes(&path).expect("GDAL and the copy do as asked");
    let summary: Vec<(ChangeOp, Option<&str>)> =
        changes.iter().map(|c| (c.op, c.id.as_deref())).collect();
    assert_eq!(
        summary,
        vec![
            (ChangeOp::Update, Some("o2")),
            (ChangeOp::Update, Some("o3")),
            (ChangeOp::Insert, None),
            (ChangeOp::Insert, None),
            (ChangeOp::Delete, Some("o4")),
        ]
    );
    let renamed = &changes[0];
    assert_eq!(
        renamed
            .base
            .as_ref()
            .expect("GDAL and the copy do as asked")
            .values["name"],
        "outfall 2"
    );
    assert_eq!(
        renamed
            .current
            .as_ref()
            .expect("GDAL and the copy do as asked")
            .values["name"],
        "renamed"
    );
    assert_eq!(renamed.base_version, Some(1));
    let moved = &changes[1];
    assert_ne!(
        moved
            .base
            .as_ref()
            .expect("GDAL and the copy do as asked")
            .geometry,
        moved
            .current
            .as_ref()
            .expect("GDAL and the copy do as asked")
            .geometry
    );

    // A push settles them: the copy takes the store's ids and versions, and nothing is left.
    let settled: Vec<Settled> = changes
        .iter()
        .enumerate()
        .map(|(k, c)| Settled {
            layer: c.layer.clone(),
            fid: c.fid,
            id: c.id.clone().unwrap_or_else(|| format!("new{k}")),
            version: 2,
        })
        .collect();
    tracking::settle(&path, &settled).expect("GDAL and the copy do as asked");
    assert!(
        tracking::changes(&path)
            .expect("GDAL and the copy do as asked")
            .is_empty()
    );
}

#[test]
fn a_save_by_yitu_keeps_the_copy_and_its_edits() {
    let dir = tempfile::tempdir().expect("GDAL and the copy do as asked");
    let path = dir.path().join("copy.gpkg");
    copy()
        .save_copy(&path)
        .expect("GDAL and the copy do as asked");
    let mut project = Project::open(&path).expect("GDAL and the copy do as asked");
    project.save(&path).expect("GDAL and the copy do as asked");
    assert!(
        tracking::changes(&path)
            .expect("GDAL and the copy do as asked")
            .is_empty(),
        "an unchanged save is no edit"
    );
    project.layers[0].layer.features[0].values[2] = AttrValue::Text("edited in Yitu".into());
    project.save(&path).expect("GDAL and the copy do as asked");
    let changes = tracking::changes(&path).expect("GDAL and the copy do as asked");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].id.as_deref(), Some("o1"));
    assert_eq!(
        changes[0]
            .current
            .as_ref()
            .expect("GDAL and the copy do as asked")
            .values["name"],
        "edited in Yitu"
    );
}

#[test]
fn a_project_that_is_no_copy_is_named() {
    let dir = tempfile::tempdir().expect("GDAL and the copy do as asked");
    let path = dir.path().join("plain.gpkg");
    copy().save(&path).expect("GDAL and the copy do as asked");
    assert!(!tracking::is_tracked(&path).expect("GDAL and the copy do as asked"));
    let e = tracking::changes(&path).expect_err("an error").to_string();
    assert!(
        e.contains("not an offline copy") && e.contains("plain.gpkg"),
        "{e}"
    );
}
