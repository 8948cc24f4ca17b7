//! The open project's map layers, in drawing order: each with a stable id, its data and style,
//! and what it is drawn from, so the three never fall out of step.

use yitu_layers::ProjectLayer;

use super::prepared::PreparedLayer;
use crate::feature::LayerId;

/// One layer on the map.
pub struct MapLayer {
    pub id: LayerId,
    /// The features and their style, as saved with the project.
    pub data: ProjectLayer,
    /// Geometry in world coordinates, colours and index, built from `data`.
    pub drawing: PreparedLayer,
}

/// The layers, bottom first.
#[derive(Default)]
pub struct MapLayers {
    layers: Vec<MapLayer>,
    next_id: u32,
}

impl MapLayers {
    /// Adds a layer on top and says its id.
    pub fn push(&mut self, data: ProjectLayer, drawing: PreparedLayer) -> LayerId {
        let id = LayerId(self.next_id);
        self.next_id += 1;
        self.layers.push(MapLayer { id, data, drawing });
        id
    }

    /// Replaces the layer named like `data` (a draw's or a plan's layer made again), keeping its
    /// id and place, or adds it on top.
    pub fn put(&mut self, data: ProjectLayer, drawing: PreparedLayer) -> LayerId {
        match self
            .layers
            .iter_mut()
            .find(|l| l.data.layer.name == data.layer.name)
        {
            Some(l) => {
                l.data = data;
                l.drawing = drawing;
                l.id
            }
            None => self.push(data, drawing),
        }
    }

    pub fn get(&self, id: LayerId) -> Option<&MapLayer> {
        self.layers.iter().find(|l| l.id == id)
    }

    pub fn get_mut(&mut self, id: LayerId) -> Option<&mut MapLayer> {
        self.layers.iter_mut().find(|l| l.id == id)
    }

    /// The layer named `name`, if any.
    pub fn named(&self, name: &str) -> Option<&MapLayer> {
        self.layers.iter().find(|l| l.data.layer.name == name)
    }

    /// Bottom first.
    pub fn iter(&self) -> std::slice::Iter<'_, MapLayer> {
        self.layers.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, MapLayer> {
        self.layers.iter_mut()
    }

    /// The features and styles, bottom first, as the project saves them.
    pub fn data(&self) -> impl Iterator<Item = &ProjectLayer> {
        self.layers.iter().map(|l| &l.data)
    }

    pub fn len(&self) -> usize {
        self.layers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Moves a layer one place up (towards the top) or down; false at either end.
    pub fn move_by_one(&mut self, id: LayerId, up: bool) -> bool {
        let Some(i) = self.layers.iter().position(|l| l.id == id) else {
            return false;
        };
        let other = if up { i + 1 } else { i.wrapping_sub(1) };
        if other >= self.layers.len() {
            return false;
        }
        self.layers.swap(i, other);
        true
    }
}

impl<'a> IntoIterator for &'a MapLayers {
    type Item = &'a MapLayer;
    type IntoIter = std::slice::Iter<'a, MapLayer>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut MapLayers {
    type Item = &'a mut MapLayer;
    type IntoIter = std::slice::IterMut<'a, MapLayer>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(name: &str) -> (ProjectLayer, PreparedLayer) {
        let data = ProjectLayer {
            layer: yitu_layers::Layer::new(name, yitu_layers::LayerKind::Other, Vec::new()),
            style: yitu_layers::LayerStyle::default(),
        };
        let drawing = PreparedLayer::build(&data);
        (data, drawing)
    }

    #[test]
    fn a_layer_keeps_its_id_when_moved_or_made_again() {
        let mut layers = MapLayers::default();
        let [a, b, c] = ["a", "b", "c"].map(|n| {
            let (data, drawing) = layer(n);
            layers.push(data, drawing)
        });
        assert!(layers.move_by_one(a, true));
        assert!(!layers.move_by_one(c, true), "the top layer goes no higher");
        let order: Vec<LayerId> = layers.iter().map(|l| l.id).collect();
        assert_eq!(order, [b, a, c]);
        assert_eq!(layers.get(a).unwrap().data.layer.name, "a");
        let (data, drawing) = layer("b");
        assert_eq!(layers.put(data, drawing), b, "made again in its place");
        let (data, drawing) = layer("d");
        let d = layers.put(data, drawing);
        assert!(![a, b, c].contains(&d), "a new layer never takes an old id");
        assert_eq!(layers.len(), 4);
    }
}
