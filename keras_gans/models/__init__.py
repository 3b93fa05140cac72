"""Model classes. Importing this package registers every model with the registry."""

from keras_gans.models.adversarial import AdversarialModel
from keras_gans.models.base import GenerativeModel
from keras_gans.models.cgan import CGAN
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.gan import GAN
