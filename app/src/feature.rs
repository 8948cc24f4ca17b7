//! How the app refers to a layer and a feature of the open project: a leaf module that state,
//! commands and views all share.

/// A layer of the open project, for as long as it is open: kept when layers are reordered,
/// never given to another layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct LayerId(pub u32);

/// A feature in the project: its layer and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureRef {
    pub layer: LayerId,
    pub feature: usize,
}
