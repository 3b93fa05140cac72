"""Model classes. Importing this package registers every model with the registry."""

from keras_gans.models.adversarial import AdversarialModel
from keras_gans.models.aae import AAE
from keras_gans.models.ae import AE
from keras_gans.models.autoencoding import AutoencodingModel
from keras_gans.models.base import GenerativeModel
from keras_gans.models.cgan import CGAN
from keras_gans.models.cvae_gan import CVAEGAN
from keras_gans.models.cyclegan import CycleGAN
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.discogan import DiscoGAN
from keras_gans.models.double_gan import DoubleGAN
from keras_gans.models.began import BEGAN
from keras_gans.models.bigan import BiGAN
from keras_gans.models.ebgan import EBGAN
from keras_gans.models.f_gan import FGAN
from keras_gans.models.gaia import GAIA
from keras_gans.models.gan import GAN
from keras_gans.models.infogan import InfoGAN
from keras_gans.models.least_squares_gan import LeastSquaresGAN
from keras_gans.models.loss_sensitive_gan import LossSensitiveGAN
from keras_gans.models.translation import TranslationModel
from keras_gans.models.unified_ae_gan import UnifiedAEGAN
from keras_gans.models.wgan import WGAN
from keras_gans.models.wgan_gp import WGANGP
from keras_gans.models.vae import VAE
from keras_gans.models.vae_gan import VAEGAN
