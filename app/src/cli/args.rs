//! The `yitu` command line as clap parses it: one variant per verb, with its help.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

#[derive(Parser)]
#[command(
    name = "yitu",
    version,
    about = "Yitu 一图: Chongqing eco-environment enforcement on one map"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Option<Verb>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(super) enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => Self::Zh,
            LangArg::En => Self::En,
        }
    }
}

#[derive(Subcommand)]
pub(super) enum Verb {
    /// Open the map (default: the embedded Chongqing sample project).
    Open {
        /// A project GeoPackage.
        project: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Layers, feature counts, CRS and bounds of a file or project (default: the sample project).
    Info {
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// CRS of the file when it does not say (or says wrongly): EPSG code, gcj02, bd09, wgs84.
        #[arg(long)]
        from: Option<String>,
        /// Load good rows past bad ones (reporting the bad ones) instead of failing.
        #[arg(long)]
        skip_bad_rows: bool,
        /// For photos: elevation of the ground or water surface (m above sea level) for the
        /// footprint; default: the take-off level.
        #[arg(long)]
        ground_elevation: Option<f64>,
        /// For photos: a DEM (same vertical datum as the drone's absolute altitude) to put the
        /// footprint on the terrain.
        #[arg(long)]
        dem: Option<PathBuf>,
    },
    /// Convert a vector file to another format and/or CRS; attributes are kept.
    Convert {
        input: PathBuf,
        output: PathBuf,
        /// Source CRS (default: the file's own): EPSG code, gcj02, bd09, wgs84.
        #[arg(long)]
        from: Option<String>,
        /// Target CRS (default wgs84): EPSG code, gcj02, bd09, wgs84.
        #[arg(long, default_value = "wgs84")]
        to: String,
        #[arg(long)]
        skip_bad_rows: bool,
        #[arg(long)]
        json: bool,
    },
    /// Render the app with a project once everything is loaded, save a PNG and exit.
    Screenshot {
        project: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Window size, e.g. 1600x900.
        #[arg(long, default_value = "1600x900")]
        size: String,
        /// A saved view (bookmark) of the project, e.g. 主城区.
        #[arg(long)]
        view: Option<String>,
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// A folder of monitoring data (as `yitu sample --monitoring` writes): analysed, and
        /// the monitoring window shown with its first anomaly.
        #[arg(long, value_name = "DIR")]
        monitoring: Option<PathBuf>,
        /// Trace the rivers upstream from this point (100 km) and show the trace window.
        #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
        trace: Option<String>,
        /// Also present on a second screen (the command centre's, on monitor 0) and save what
        /// it shows here.
        #[arg(long, value_name = "PNG")]
        second_screen: Option<PathBuf>,
        /// An offline basemap (a raster `.pmtiles` file) under the layers.
        #[arg(long, value_name = "PMTILES")]
        basemap: Option<PathBuf>,
    },
    /// Command centre: render each step of a story (default: the built-in overview of the
    /// project) as DIR/step-NN.png, with DIR/indicators.json and DIR/minutes.html, and exit.
    /// Works under Xvfb like `yitu screenshot`.
    Present {
        /// A project GeoPackage (default: the embedded sample project).
        project: Option<PathBuf>,
        /// A story kept with the project, by name.
        #[arg(long)]
        story: Option<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Frame size, e.g. 1920x1080.
        #[arg(long, default_value = "1920x1080")]
        size: String,
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Temperatures in °C as a float32 GeoTIFF: FLIR R-JPEG, thermal TIFF, or Landsat B10/B11
    /// with its MTL beside it (brightness temperature).
    Thermal {
        input: PathBuf,
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Object emissivity (0–1); default: the file's.
        #[arg(long)]
        emissivity: Option<f64>,
        /// Object distance in metres (flight height for UAV photos); default: the file's.
        #[arg(long)]
        distance: Option<f64>,
        /// Relative humidity in percent; default: the file's.
        #[arg(long)]
        humidity: Option<f64>,
        /// Reflected apparent temperature, °C; default: the file's.
        #[arg(long)]
        reflected: Option<f64>,
        /// Air temperature, °C; default: the file's.
        #[arg(long)]
        air: Option<f64>,
        /// Units of a thermal TIFF's values when they cannot be detected: c, k, ck (centi-kelvin), dk.
        #[arg(long)]
        units: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Thermal hot spots on land, discharge plumes at the bank (hidden-pipe suspects) and
    /// satellite hot spots, matched to the registry, as a GeoJSON FeatureCollection (WGS84).
    Detect {
        /// A thermal raster in °C (or any input `thermal` takes), georeferenced, any CRS; or a
        /// SWIR scene for fires and furnaces: a Landsat 8/9 `*_MTL.txt` (or its band 4–7), or a
        /// Sentinel-2 L1C `MTD_MSIL1C.xml` (or its band B05/B8A/B11/B12).
        raster: PathBuf,
        /// River polygons (WGS84 GeoJSON or any vector format): where plumes are looked for.
        #[arg(long)]
        river: Option<PathBuf>,
        /// Registered outfalls: points with `id` and `status` (active/closed/banned).
        #[arg(long)]
        outfalls: Option<PathBuf>,
        /// Pollution sources: points or polygons with `id` and `status` (operating/stopped/closed).
        #[arg(long)]
        sources: Option<PathBuf>,
        /// Night thresholds (default: from the raster's capture time, else day).
        #[arg(long, conflicts_with = "day")]
        night: bool,
        /// Day thresholds.
        #[arg(long)]
        day: bool,
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Also write a PNG chip and an HTML evidence sheet per detection worth a visit here.
        #[arg(long, value_name = "DIR")]
        evidence: Option<PathBuf>,
        /// Units of a thermal TIFF's values, when the file states none and they cannot be told
        /// from their range: c, k, ck (centi-kelvin), dk (deci-kelvin). Overrides what the file
        /// states.
        #[arg(long)]
        units: Option<String>,
        /// Memory the run may take (default: half of what the machine has available); a
        /// thermal TIFF whose whole run needs more is read and worked on window by window, with
        /// the same detections.
        #[arg(long, value_name = "MB")]
        memory_mb: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// 双随机、一公开: draw firms per stratum and their inspectors, reproducibly from the inputs'
    /// hashes and a public entropy string; or, with --verify, check a published record.
    Draw {
        /// Pollution sources (any vector format) with id, category, district, status,
        /// positive_list, last_inspected.
        #[arg(long)]
        sources: PathBuf,
        /// Roster CSV: id,name,district,cert_expiry,conflicts (conflicts `;`-separated).
        #[arg(long)]
        inspectors: PathBuf,
        /// The plan (TOML): name, date, cross_district, inspectors_per_target,
        /// max_targets_per_inspector, exclude_inspected_within_days, [[stratum]]
        /// category/ratio (and district), optional [[must_include]] source_id/reason and
        /// [[pair]] targets/inspectors (paired districts).
        #[arg(long)]
        plan: PathBuf,
        /// Public entropy given at the draw meeting (e.g. the witnesses' numbers).
        #[arg(long, required_unless_present = "verify")]
        entropy: Option<String>,
        /// Where to write the record (JSON).
        #[arg(short = 'o', long = "out", required_unless_present = "verify")]
        out: Option<PathBuf>,
        /// Instead: check this record against the inputs (exit 0 when it reproduces exactly).
        #[arg(long, value_name = "DRAW.json", conflicts_with_all = ["entropy", "out", "publish"])]
        verify: Option<PathBuf>,
        /// Also write the announcement (公示.html, 公示.csv) and the task list (tasks.csv,
        /// tasks.json) here.
        #[arg(long, value_name = "DIR")]
        publish: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Paired districts for cross checks (交叉执法): each district's firms with the
    /// inspectors of a nearby district, one to one, nearest first, printed as the [[pair]]s to
    /// add to a draw's plan (with cross_district alone, inspectors may come from the far end of
    /// the city, too far for a day's round trip).
    Pairs {
        /// Pollution sources (any vector format) with id, category, district, status,
        /// positive_list; their positions place the districts.
        #[arg(long)]
        sources: PathBuf,
        /// Roster CSV: id,name,district,cert_expiry,conflicts.
        #[arg(long)]
        inspectors: PathBuf,
        /// The pairs as JSON (`{"pairs": [{"targets", "inspectors"}, ...]}`).
        #[arg(long)]
        json: bool,
    },
    /// Inspection routes: the draw's tasks over the teams and days (fewest team-days, then
    /// least travel), on roads when --network is given, else on a great-circle estimate; as
    /// GeoJSON. With --solomon: solve a VRPTW instance in Solomon's text format (Euclidean
    /// distances, travel time = distance) for the least total distance within its fleet, and
    /// print vehicles, distance and routes.
    Plan {
        /// The draw record (`yitu draw -o DRAW.json`).
        #[arg(long, value_name = "DRAW.json", required_unless_present = "solomon")]
        tasks: Option<PathBuf>,
        /// Teams CSV: id,district,lon,lat (the office); optional name, shift_start,
        /// shift_end, lunch_start, lunch_end, lunch_minutes, max_targets, skills and
        /// inspectors (`;`-separated), phone (printed on the task sheets).
        #[arg(long, value_name = "TEAMS.csv", required_unless_present = "solomon")]
        teams: Option<PathBuf>,
        /// An OpenStreetMap extract; the prepared network is kept beside it
        /// (`.yitu-roads`) and reused while the extract is unchanged.
        #[arg(long, value_name = "ROADS.osm.pbf")]
        network: Option<PathBuf>,
        /// Working days to spread the tasks over.
        #[arg(long, default_value_t = 1)]
        days: usize,
        /// Where to write the plan (GeoJSON).
        #[arg(
            short = 'o',
            long = "out",
            value_name = "PLAN.geojson",
            required_unless_present = "solomon"
        )]
        out: Option<PathBuf>,
        /// Tasks fixed by hand: a CSV `source_id,team,day` (day from 1).
        #[arg(long, value_name = "LOCKS.csv")]
        locks: Option<PathBuf>,
        /// Firms' own hours: a CSV `source_id,open,close` (HH:MM, when an inspection may
        /// start); firms not listed keep 08:30–17:00.
        #[arg(long, value_name = "HOURS.csv")]
        hours: Option<PathBuf>,
        /// Also write each team-day's task sheet (HTML), GPX and KML, and every stop as CSV
        /// and JSON for the mobile enforcement system, into this folder.
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
        /// Instead: a Solomon VRPTW instance (e.g. C101.txt).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["tasks", "teams", "network", "out", "export", "locks", "hours"])]
        solomon: Option<PathBuf>,
        /// How long the search may run, seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        time_limit: f64,
        #[arg(long)]
        json: bool,
    },
    /// Write the embedded sample project (or the city-scale registry) to a GeoPackage, or a
    /// synthetic thermal scene with planted truth to a folder.
    Sample {
        #[arg(long)]
        out: PathBuf,
        /// The city-scale registry (≥ 70,000 sources) instead of the sample.
        #[arg(long)]
        city: bool,
        /// A synthetic river scene for detection: scene.tif, rivers/outfalls/sources.geojson
        /// and truth.json, in the folder `--out`.
        #[arg(long)]
        detection_scene: bool,
        /// Inputs for `yitu draw`, generated: sources.geojson (3,000 firms), roster.csv (160
        /// inspectors) and plan.toml (the example plan), in the folder `--out`.
        #[arg(long, conflicts_with_all = ["city", "detection_scene"])]
        draw_inputs: bool,
        /// Inputs for `yitu monitor`, generated for the sample project's key sources: two
        /// months of hourly HJ 212 data with planted anomalies, meters, periods, events,
        /// limits, the MN map, sources.geojson and truth.json, in the folder `--out`.
        #[arg(long, conflicts_with_all = ["city", "detection_scene", "draw_inputs"])]
        monitoring: bool,
        /// The scene's (or draw inputs') seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A day scene (default: night).
        #[arg(long)]
        day: bool,
        /// With --detection-scene or --monitoring: data of the second, independent generator.
        #[arg(long)]
        independent: bool,
    },
    /// 非现场执法: read automatic-monitoring data (HJ 212-2017 logs or the hourly CSV form) and
    /// electricity meters, and find transmission per point and month and the anomalies, each
    /// with its evidence interval. Bad lines are listed, the rest still load.
    Monitor(MonitorArgs),
    /// River basins: build a directed network from any river lines and trace it up- or
    /// downstream from a point or a feature, by distance or travel time; the outfalls,
    /// sources and sections found, and the district and province lines crossed.
    Trace(Box<TraceArgs>),
    /// The shared PostGIS store: load a project into it, give people rights, read its log.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Measure frame time, identify and project opening on the city-scale registry.
    Bench {
        #[arg(long)]
        json: bool,
        /// A folder of drone photos for the footprint benchmark.
        #[arg(long, default_value = "../shared/data/thermal/h20t_flight")]
        photos: PathBuf,
        /// Instead: generate a SIDE × SIDE 8-bit mosaic with overviews (20000 = 400 MP, about
        /// 0.5 GB of temporary disk) and time its first screen and peak memory.
        #[arg(long, value_name = "SIDE")]
        large_raster: Option<usize>,
        /// Instead: time putting one raster file on the map, with this process's peak memory.
        #[arg(long, value_name = "RASTER")]
        open_raster: Option<PathBuf>,
        /// Instead: time detection on a generated synthetic scene of about MP megapixels.
        #[arg(long, value_name = "MP")]
        detect: Option<f64>,
        /// Instead: time detection on a scene folder, with this process's peak memory.
        #[arg(long, value_name = "DIR")]
        detect_scene: Option<PathBuf>,
        /// Instead: time the random draw on 70,000 firms and 600 inspectors (issue #5).
        #[arg(long)]
        draw: bool,
        /// Instead: time HJ 212 parsing (MB/s) and the monitoring rules over a year of hourly
        /// data for 1,000 points × 6 parameters, with peak memory (issue #21).
        #[arg(long)]
        monitoring: bool,
        /// Instead: time reading and building a river network of 100,000 reaches from GeoJSON,
        /// tracing it, and the whole `yitu trace` against a networkx script (issue #22).
        #[arg(long)]
        basins: bool,
        /// Instead: CPU time of a presenter frame at 1920×1080 on the city registry with the
        /// time slider playing (issue #23).
        #[arg(long)]
        presenter: bool,
        /// Instead: time a 300-target, 40-team plan (issue #6) on a generated city of SIDE ×
        /// SIDE street nodes (1000: a million), or on --network.
        #[arg(long, value_name = "SIDE", num_args = 0..=1, default_missing_value = "1000")]
        routes: Option<u32>,
        /// Instead: load the city registry into the empty PostGIS database at URL and time
        /// opening it from there (issue #20).
        #[arg(long, value_name = "URL")]
        store: Option<String>,
        /// With --store: how long ten desks edit the same 100 sources at once.
        #[arg(
            long,
            value_name = "SECONDS",
            default_value_t = 60.0,
            requires = "store"
        )]
        edit_seconds: f64,
        /// With --routes: an OSM extract instead of the generated city.
        #[arg(long, value_name = "ROADS.osm.pbf", requires = "routes")]
        network: Option<PathBuf>,
        /// With --routes: the plan's search budget, seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 8.0)]
        plan_seconds: f64,
        /// With --detect or --detect-scene: the memory detection may take (as `yitu detect
        /// --memory-mb`), to time the run window by window.
        #[arg(long, value_name = "MB")]
        memory_mb: Option<u64>,
    },
}

/// What `yitu store` does.
#[derive(Subcommand)]
pub(super) enum StoreAction {
    /// Create schema `yitu` (tables, audit log, version rule, district rights) and load a
    /// project into it.
    Init {
        /// The database: a libpq URL, e.g. postgresql://me@%2Fvar%2Frun%2Fpostgresql/yitu.
        #[arg(long, value_name = "URL")]
        db: String,
        /// The project GeoPackage to load.
        #[arg(long, value_name = "PROJECT.gpkg")]
        from: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write an offline copy: the project as the connected person may see it, as a GeoPackage
    /// whose layers carry each row's id, version and district.
    Export {
        #[arg(long, value_name = "URL")]
        db: String,
        #[arg(short, long, value_name = "COPY.gpkg")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Create a person's login role (if new) and grant it a desk's rights.
    Grant {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The login role: lower-case letters, digits and _.
        #[arg(long)]
        user: String,
        /// city (everything), viewer (read only) or district:<code> (one district's rows).
        #[arg(long, value_name = "ROLE")]
        role: String,
    },
    /// Push an offline copy's edits: rows changed since the copy, field by field under the
    /// version rule, in one transaction; fields both sides changed are listed, not applied
    /// (exit status 1 when there are any).
    Sync {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The copy `store export` wrote, edited in Yitu, QGIS or any GeoPackage editor.
        #[arg(value_name = "COPY.gpkg")]
        copy: PathBuf,
        /// Print `{"applied": N, "conflicts": [{"layer", "feature_id", "field", "ours",
        /// "theirs"}]}`.
        #[arg(long)]
        json: bool,
    },
    /// The record of every change, oldest first.
    Log {
        #[arg(long, value_name = "URL")]
        db: String,
        /// Only this feature's history.
        #[arg(long, value_name = "ID")]
        feature: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// What `yitu monitor` reads and writes.
#[derive(clap::Args)]
pub(super) struct MonitorArgs {
    /// HJ 212 logs (one packet per line) or `.csv` files `mn,time,code,value,flag`.
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub(super) data: Vec<PathBuf>,
    /// Electricity meters: `source_id,meter_id,role,time,kw` (role production or
    /// treatment).
    #[arg(long, value_name = "FILE")]
    pub(super) meters: Option<PathBuf>,
    /// Halt and limit periods: `source_id,start,end,kind` (a source id or a district code;
    /// kind halt or limit:<percent>).
    #[arg(long, value_name = "FILE")]
    pub(super) periods: Option<PathBuf>,
    /// Which firm each point belongs to: `mn,source_id` (adds to the sources' `mn` field).
    #[arg(long, value_name = "FILE")]
    pub(super) mn_map: Option<PathBuf>,
    /// Emission limits: `source_id,code,limit,unit` (a source id or a category).
    #[arg(long, value_name = "FILE")]
    pub(super) limits: Option<PathBuf>,
    /// Announced inspections and published draws: `source_id,time,kind` (a source id or a
    /// district code).
    #[arg(long, value_name = "FILE")]
    pub(super) events: Option<PathBuf>,
    /// The firms: a vector file with `id`, and `category`, `district` and `mn` where known.
    #[arg(long, value_name = "FILE")]
    pub(super) sources: PathBuf,
    /// The first day analysed (yyyy-MM-dd, +08:00); default: the data's first hour.
    #[arg(long, value_name = "DATE")]
    pub(super) from: Option<String>,
    /// The last day analysed, included; default: the data's last hour.
    #[arg(long, value_name = "DATE")]
    pub(super) to: Option<String>,
    #[arg(short, long, value_name = "OUT.json")]
    pub(super) out: PathBuf,
    /// Print the report (as written to OUT.json) on stdout.
    #[arg(long)]
    pub(super) json: bool,
}

/// What `yitu trace` reads and writes.
#[derive(clap::Args)]
pub(super) struct TraceArgs {
    /// River lines in any vector format and CRS (`name`, `velocity_m_s` used when present).
    #[arg(long, value_name = "FILE")]
    pub(super) rivers: PathBuf,
    /// Start here (WGS84), snapped to the nearest river.
    #[arg(
        long,
        value_name = "LON,LAT",
        required_unless_present = "from_feature",
        conflicts_with = "from_feature",
        allow_hyphen_values = true
    )]
    pub(super) from: Option<String>,
    /// Start at a feature: `outfalls:ID`, `sections:ID` or `sources:ID` of the files given.
    #[arg(long, value_name = "LAYER:ID")]
    pub(super) from_feature: Option<String>,
    /// up (with tributaries), upmain (main stem only) or down.
    #[arg(long, default_value = "up", value_parser = ["up", "upmain", "down"])]
    pub(super) direction: String,
    /// Stop this many kilometres along the rivers from the start.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub(super) km: Option<f64>,
    /// Stop at this travel time, hours.
    #[arg(long, value_name = "H", allow_negative_numbers = true)]
    pub(super) hours: Option<f64>,
    /// Velocity for reaches without a `velocity_m_s` field, m/s (default 0.5).
    #[arg(long, value_name = "M_PER_S", allow_negative_numbers = true)]
    pub(super) velocity: Option<f64>,
    /// Velocities by Strahler order class, m/s, order 1 first (`0.3,0.5,0.8,1.2`; the last
    /// holds for higher orders), for reaches without their own.
    #[arg(long, value_name = "V1,V2,...", value_delimiter = ',')]
    pub(super) velocity_by_order: Vec<f64>,
    /// Outfalls (入河排污口): each belongs to its nearest reach within the corridor.
    #[arg(long, value_name = "FILE")]
    pub(super) outfalls: Option<PathBuf>,
    /// Sources: found when within the corridor of a traced reach.
    #[arg(long, value_name = "FILE")]
    pub(super) sources: Option<PathBuf>,
    /// Monitoring sections (断面): each belongs to its nearest reach within the corridor.
    #[arg(long, value_name = "FILE")]
    pub(super) sections: Option<PathBuf>,
    /// Detections (`yitu detect`'s output, or a project's detections layer): each belongs to
    /// its nearest reach within the corridor.
    #[arg(long, value_name = "FILE")]
    pub(super) detections: Option<PathBuf>,
    /// Monitoring anomalies at their firms (a project's `monitoring_anomalies` layer): found
    /// within the corridor like sources.
    #[arg(long, value_name = "FILE")]
    pub(super) anomalies: Option<PathBuf>,
    /// Rank what is found as the cause of an exceedance at the start: `PARAM@TIME` (e.g.
    /// `NH3-N@2026-06-01T08:00`, +08:00 unless given), `PARAM` or `@TIME`. Adds
    /// `attribution` to the JSON.
    #[arg(long, value_name = "PARAM@TIME")]
    pub(super) exceedance: Option<String>,
    /// Write the joint-check lists here: `lists.html` (a page per district), `lists.csv` and
    /// `checks.toml` (targeted checks and cross-check pairs to add to a draw plan).
    #[arg(long, value_name = "DIR")]
    pub(super) lists: Option<PathBuf>,
    /// District polygons (`code`, else `adcode`, else `name`); may be given more than once
    /// (Chongqing's and Sichuan's).
    #[arg(long, value_name = "FILE")]
    pub(super) districts: Vec<PathBuf>,
    /// Corridor either side of the traced rivers, metres.
    #[arg(long, value_name = "M", default_value_t = 500.0)]
    pub(super) corridor_m: f64,
    /// Line ends (and ends to line middles) closer than this are joined, metres.
    #[arg(long, value_name = "M", default_value_t = 10.0)]
    pub(super) snap_m: f64,
    /// Where water leaves the network (a mouth, a diversion's end); repeatable.
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub(super) outlet: Vec<String>,
    /// A DEM: the lowest line end is the mouth where the lines' digitising says nothing.
    #[arg(long, value_name = "FILE")]
    pub(super) dem: Option<PathBuf>,
    /// The trace as GeoJSON (WGS84): reaches, features found, crossings.
    #[arg(short, long, value_name = "TRACE.geojson")]
    pub(super) out: PathBuf,
    /// Print the summary: reaches, length, found, crossings, QA.
    #[arg(long)]
    pub(super) json: bool,
}
