//! Which district and team a place belongs to, on the embedded Chongqing project.

use geo::Point;
use yitu_layers::jurisdiction::Jurisdiction;

#[test]
fn jiefangbei_is_in_yuzhong_with_its_team() {
    let project = yitu_sample_data::chongqing_project();
    let j = Jurisdiction::new(&project);
    let r = j.at(Point::new(106.5774, 29.5577)).unwrap();
    assert_eq!(r.district_code, "500103");
    assert_eq!(r.district_name, "渝中区");
    assert!(r.team_name.unwrap().starts_with("渝中区"));
}

#[test]
fn chengdu_is_in_sichuan_without_a_chongqing_team() {
    let project = yitu_sample_data::chongqing_project();
    let r = Jurisdiction::new(&project)
        .at(Point::new(104.07, 30.66))
        .unwrap();
    assert!(r.district_code.starts_with("5101"), "{r:?}");
    assert_eq!(r.team_id, None);
}

#[test]
fn the_sea_has_no_district() {
    let project = yitu_sample_data::chongqing_project();
    assert_eq!(
        Jurisdiction::new(&project).at(Point::new(122.0, 25.0)),
        None
    );
}
